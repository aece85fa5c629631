package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writers at the same time: conditional writes of one entity let exactly one win, unconditional
 * writes of different entities all land with distinct revisions in commit order, and readers never
 * see the revision go back.
 */
class ConcurrencyIT {
  static final int WRITERS = 8;
  static final String ACCOUNT = "111122223333";
  static final String A = "/v1/accounts/" + ACCOUNT;
  static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  static RunningService service;
  static Api api;

  @BeforeAll
  static void start() {
    service = RunningService.start();
    api = service.api();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static String doc(String action) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\""
        + action
        + "\",\"Resource\":\"*\"}]}";
  }

  static Response ok(Response r) {
    assertEquals(200, r.status(), r::toString);
    return r;
  }

  /** Runs {@code WRITERS} requests released at the same moment; their answers by writer. */
  static List<Response> together(IntFunction<Response> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      CountDownLatch ready = new CountDownLatch(WRITERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        int writer = i;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return request.apply(writer);
                }));
      }
      ready.await();
      go.countDown();
      List<Response> out = new ArrayList<>();
      for (Future<Response> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The index of the one writer that got 200; every other got {@code loserCode}. */
  static int onlyOneWins(List<Response> answers, int loserStatus, String loserCode) {
    int winner = -1;
    for (int i = 0; i < answers.size(); i++) {
      Response r = answers.get(i);
      if (r.status() == 200) {
        assertEquals(-1, winner, () -> "two writers won: " + answers);
        winner = i;
      } else {
        assertEquals(loserStatus, r.status(), r::toString);
        assertEquals(loserCode, r.code(), r::toString);
      }
    }
    assertTrue(winner >= 0, () -> "no writer won: " + answers);
    return winner;
  }

  @Test
  void oneOfManyConditionalPolicyWritersWins() throws Exception {
    String path = A + "/policies/Contested";
    Response created = ok(api.put(path, "{\"document\":" + doc("s3:Initial") + "}"));
    String etag = created.header("ETag").orElseThrow();
    long changesBefore = service.count("SELECT count(*) FROM change_log");

    List<Response> answers =
        together(
            i ->
                api.send(
                    "PUT",
                    path,
                    "{\"document\":" + doc("s3:Writer" + i) + "}",
                    Map.of("If-Match", etag)));
    int winner = onlyOneWins(answers, 412, "precondition_failed");

    Response stored = ok(api.get(path));
    assertEquals(answers.get(winner).header("ETag"), stored.header("ETag"));
    assertEquals("v2", stored.json().get("defaultVersionId").asText());
    assertEquals(2, stored.json().get("versions").size(), stored::toString);
    assertEquals(
        "s3:Writer" + winner, stored.json().at("/versions/1/document/Statement/0/Action").asText());
    assertEquals(changesBefore + 1, service.count("SELECT count(*) FROM change_log"));
    assertEquals(
        answers.get(winner).json().get("revision").asLong(),
        service.count("SELECT revision FROM store_revision"));
  }

  @Test
  void oneOfManyConditionalUserWritersWins() throws Exception {
    String path = A + "/users/contested";
    String etag = ok(api.put(path, "{}")).header("ETag").orElseThrow();
    long changesBefore = service.count("SELECT count(*) FROM change_log");

    List<Response> answers =
        together(
            i ->
                api.send(
                    "PUT",
                    path,
                    "{\"tags\":{\"writer\":\"" + i + "\"}}",
                    Map.of("If-Match", etag)));
    int winner = onlyOneWins(answers, 412, "precondition_failed");

    Response stored = ok(api.get(path));
    assertEquals(Integer.toString(winner), stored.json().at("/tags/writer").asText());
    assertEquals(answers.get(winner).header("ETag"), stored.header("ETag"));
    assertEquals(changesBefore + 1, service.count("SELECT count(*) FROM change_log"));
  }

  @Test
  void oneOfManyCreatorsWinsWithIfNoneMatch() throws Exception {
    long changesBefore = service.count("SELECT count(*) FROM change_log");
    List<Response> answers =
        together(
            i ->
                api.send(
                    "PUT",
                    // the same name in different cases: one entity for IAM
                    A + "/groups/" + (i % 2 == 0 ? "racers" : "Racers"),
                    "{\"path\":\"/w" + i + "/\"}",
                    Map.of("If-None-Match", "*")));
    int winner = onlyOneWins(answers, 409, "already_exists");
    assertEquals(
        "/w" + winner + "/", ok(api.get(A + "/groups/racers")).json().get("path").asText());
    assertEquals(1, service.count("SELECT count(*) FROM iam_group WHERE lower(name) = 'racers'"));
    assertEquals(changesBefore + 1, service.count("SELECT count(*) FROM change_log"));
  }

  @Test
  void unconditionalWritersOfDifferentEntitiesAllLandInOrder() throws Exception {
    long startRevision = service.count("SELECT revision FROM store_revision");
    long changesBefore = service.count("SELECT count(*) FROM change_log");
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService readerPool = Executors.newSingleThreadExecutor();
    Callable<Integer> reader =
        () -> {
          long lastChange = -1;
          long lastDecision = -1;
          int reads = 0;
          String decide =
              "{\"principal\":\"arn:aws:iam::111122223333:user/member-0\","
                  + "\"operation\":\"disassociate\","
                  + "\"instanceArn\":\"arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0\"}";
          do {
            Response changes = ok(api.get("/v1/changes?limit=1"));
            long change = changes.json().at("/changes/0/revision").asLong(-1);
            assertTrue(
                change >= lastChange, "change log went from " + lastChange + " to " + change);
            lastChange = change;
            Response decided = ok(api.post("/v1/decisions/instance-profile", decide));
            long at = decided.json().get("revision").asLong();
            assertTrue(at >= lastDecision, "decisions went from " + lastDecision + " to " + at);
            lastDecision = at;
            reads++;
          } while (writing.get());
          return reads;
        };
    Future<Integer> reads = readerPool.submit(reader);

    List<List<Long>> perWriter;
    try {
      List<Response> finals =
          together(
              i -> {
                List<Long> revisions = new ArrayList<>();
                String policyArn = "arn:aws:iam::111122223333:policy/Pol-" + i;
                List<Response> writes = new ArrayList<>();
                writes.add(api.put(A + "/groups/team-" + i, "{}"));
                writes.add(api.put(A + "/users/member-" + i, "{\"groups\":[\"team-" + i + "\"]}"));
                writes.add(
                    api.put(A + "/policies/Pol-" + i, "{\"document\":" + doc("s3:Get" + i) + "}"));
                writes.add(
                    api.put(
                        A + "/users/member-" + i,
                        "{\"groups\":[\"team-"
                            + i
                            + "\"],\"attachedPolicies\":[\""
                            + policyArn
                            + "\"]}"));
                writes.add(api.put(A + "/roles/role-" + i, "{\"trustPolicy\":" + TRUST + "}"));
                writes.add(
                    api.put(A + "/instance-profiles/prof-" + i, "{\"role\":\"role-" + i + "\"}"));
                for (Response w : writes) {
                  if (w.status() != 200) {
                    return w;
                  }
                  revisions.add(w.json().get("revision").asLong());
                }
                // Carry the revisions home in a synthetic answer's body.
                return new Response(200, writes.get(0).raw(), listOf(revisions));
              });
      perWriter = new ArrayList<>();
      for (Response r : finals) {
        assertEquals(200, r.status(), r::toString);
        List<Long> revisions = new ArrayList<>();
        r.json().forEach(n -> revisions.add(n.asLong()));
        perWriter.add(revisions);
      }
    } finally {
      writing.set(false);
    }
    assertTrue(reads.get(60, TimeUnit.SECONDS) > 0);
    readerPool.shutdownNow();

    Set<Long> all = new HashSet<>();
    int writes = 0;
    for (List<Long> revisions : perWriter) {
      for (int k = 1; k < revisions.size(); k++) {
        assertTrue(
            revisions.get(k) > revisions.get(k - 1),
            "one writer's revisions went back: " + revisions);
      }
      all.addAll(revisions);
      writes += revisions.size();
    }
    assertEquals(WRITERS * 6, writes);
    assertEquals(writes, all.size(), "two writes got the same revision");
    long endRevision = service.count("SELECT revision FROM store_revision");
    assertEquals(startRevision + writes, endRevision, "revisions have gaps or extras");
    for (long r = startRevision + 1; r <= endRevision; r++) {
      assertTrue(all.contains(r), "no write answered revision " + r);
    }

    assertEquals(changesBefore + writes, service.count("SELECT count(*) FROM change_log"));
    assertEquals(
        0,
        service.count(
            "SELECT count(*) FROM (SELECT revision - lag(revision) OVER (ORDER BY id) AS step"
                + " FROM change_log) s WHERE step <= 0"),
        "the change log's revisions do not strictly increase in log order");
    assertEquals(
        writes,
        service.count(
            "SELECT count(DISTINCT revision) FROM change_log WHERE revision > " + startRevision));

    // The API's view of the log: newest first, one entry per write.
    JsonNode changes = ok(api.get("/v1/changes?limit=" + writes)).json().get("changes");
    assertEquals(writes, changes.size());
    for (int k = 0; k < changes.size(); k++) {
      assertEquals(endRevision - k, changes.get(k).get("revision").asLong(), changes::toString);
    }

    // Every writer's final state is intact.
    for (int i = 0; i < WRITERS; i++) {
      JsonNode user = ok(api.get(A + "/users/member-" + i)).json();
      assertEquals("team-" + i, user.at("/groups/0").asText());
      assertEquals(
          "arn:aws:iam::111122223333:policy/Pol-" + i, user.at("/attachedPolicies/0").asText());
      assertEquals(
          "role-" + i, ok(api.get(A + "/instance-profiles/prof-" + i)).json().get("role").asText());
    }
  }

  static JsonNode listOf(List<Long> values) {
    var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
