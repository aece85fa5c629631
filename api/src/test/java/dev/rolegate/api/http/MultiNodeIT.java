package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.persistence.store.ChangeFeed;
import io.micronaut.jdbc.DataSourceResolver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several nodes on one database: a write on one is seen by the others without a restart, {@code
 * minRevision} gives read-your-writes on any node, and a node's kept snapshots always equal what a
 * fresh node reads from the store.
 */
class MultiNodeIT {
  static final String ACCOUNT = "222233334444";
  static final String A = "/v1/accounts/" + ACCOUNT;
  static final String INSTANCE =
      "arn:aws:ec2:eu-west-1:" + ACCOUNT + ":instance/i-0aaaabbbbccccdddd";

  static RunningService first;
  static RunningService second;
  static Api one;
  static Api two;

  @BeforeAll
  static void start() {
    first = RunningService.start(Map.of("rolegate.node-name", "node-one"));
    second = first.another(Map.of("rolegate.node-name", "node-two"));
    one = first.api();
    two = second.api();
    put(one, A + "/roles/app", "{\"trustPolicy\":" + trustEc2() + "}");
    put(one, A + "/instance-profiles/app", "{\"role\":\"app\"}");
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  static String trustEc2() {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  static String policy(String effect, String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\""
        + effect
        + "\",\"Action\":\""
        + action
        + "\",\"Resource\":\""
        + resource
        + "\"}]}";
  }

  static long put(Api api, String path, String body) {
    Response r = api.put(path, body);
    assertEquals(200, r.status(), r::toString);
    return r.json().get("revision").asLong();
  }

  static Response decide(Api api, String user, String minRevision) {
    String body =
        "{\"principal\":\"arn:aws:iam::"
            + ACCOUNT
            + ":user/"
            + user
            + "\",\"operation\":\"associate\","
            + "\"instanceArn\":\""
            + INSTANCE
            + "\",\"roleArn\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/app\""
            + (minRevision == null ? "" : ",\"minRevision\":" + minRevision)
            + "}";
    Response r = api.post("/v1/decisions/instance-profile", body);
    assertEquals(200, r.status(), r::toString);
    return r;
  }

  static String userBody(String effect) {
    return "{\"inlinePolicies\":{\"ops\":" + policy(effect, "*", "*") + "}}";
  }

  /**
   * A node that stops while the database is up logs nothing to warn about: its change follower
   * gives its listening connection back before the pool closes (it was closed under the follower,
   * and the pool logged it as broken with a stack trace).
   */
  @Test
  void aNodeStopsWithoutWarnings() throws InterruptedException {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    root.addAppender(seen);
    try {
      for (int i = 0; i < 3; i++) {
        RunningService third = first.another(Map.of("rolegate.node-name", "node-three"));
        assertTrue(awaitConnected(third));
        third.close();
      }
    } finally {
      root.detachAppender(seen);
    }
    List<String> warnings =
        seen.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
            .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
            .toList();
    assertEquals(List.of(), warnings);
  }

  private static boolean awaitConnected(RunningService node) throws InterruptedException {
    var follower = node.context().getBean(dev.rolegate.api.snapshot.ChangeFollower.class);
    for (int i = 0; i < 100 && !follower.connected(); i++) {
      Thread.sleep(50);
    }
    return follower.connected();
  }

  @Test
  void aWriteOnOneNodeReachesTheOtherWithoutAsking() throws InterruptedException {
    put(one, A + "/users/watcher", userBody("Allow"));
    assertTrue(decide(two, "watcher", null).json().get("allowed").asBoolean());
    long written = put(one, A + "/users/watcher", userBody("Deny"));
    long started = System.nanoTime();
    JsonNode answer;
    do {
      answer = decide(two, "watcher", null).json();
      if (!answer.get("allowed").asBoolean()) {
        break;
      }
      Thread.sleep(5);
    } while (System.nanoTime() - started < 5_000_000_000L);
    assertEquals("explicitDeny", answer.get("decision").asText());
    assertTrue(answer.get("revision").asLong() >= written, answer::toString);
  }

  /**
   * An answer's revision says which writes it reflects: every write up to it and none after it.
   * Decisions are asked on both nodes while the first writes: on the node that writes, its own
   * taking of a write and the write's notification race, and a notification that advanced the node
   * before the write was taken let an answer carry the write's revision without the write (an
   * exploratory run found about 4 in 1,000).
   */
  @Test
  void anAnswersRevisionNamesOnlyWritesItReflects() throws Exception {
    put(one, A + "/users/racer", userBody("Allow"));
    ConcurrentLinkedQueue<JsonNode> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> deciders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Api api = t % 2 == 0 ? one : two;
      deciders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      while (!stop.get()) {
                        answers.add(decide(api, "racer", null).json());
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    // Each write's revision, and whether it denies.
    TreeMap<Long, Boolean> writes = new TreeMap<>();
    for (int i = 0; i < 150; i++) {
      boolean deny = i % 2 == 0;
      writes.put(put(one, A + "/users/racer", userBody(deny ? "Deny" : "Allow")), deny);
    }
    stop.set(true);
    for (Thread t : deciders) {
      t.join();
    }
    assertTrue(failures.isEmpty(), () -> failures.toString());
    int checked = 0;
    for (JsonNode answer : answers) {
      Map.Entry<Long, Boolean> last = writes.floorEntry(answer.get("revision").asLong());
      if (last == null) {
        continue; // before the first of these writes
      }
      assertEquals(
          last.getValue() ? "explicitDeny" : "allowed",
          answer.get("decision").asText(),
          () -> "the answer names the write of revision " + last.getKey() + ": " + answer);
      checked++;
    }
    assertTrue(checked > 500, "only " + checked + " answers during the writes");
  }

  /**
   * A node that lost its connection to the store's notifications misses the writes made while it
   * was gone; once it listens again it catches up from the change log by itself. The second node's
   * listening session is ended (each node names its sessions after itself), and each write is made
   * on the first as soon as it is gone: the follower waits at least 100 ms before it listens again,
   * so the write's notification does not reach it, and only the catch-up can bring it.
   */
  @Test
  void aNodeThatLostItsNotificationsCatchesUpOnceItListensAgain() throws Exception {
    put(one, A + "/users/cutoff", userBody("Allow"));
    assertTrue(decide(two, "cutoff", null).json().get("allowed").asBoolean());
    boolean allow = true;
    for (int round = 0; round < 3; round++) {
      endListeningSession("node-two");
      allow = !allow;
      long written = put(one, A + "/users/cutoff", userBody(allow ? "Allow" : "Deny"));
      long started = System.nanoTime();
      JsonNode answer;
      do {
        answer = decide(two, "cutoff", null).json();
        if (answer.get("allowed").asBoolean() == allow) {
          break;
        }
        Thread.sleep(10);
      } while (System.nanoTime() - started < 10_000_000_000L);
      assertEquals(allow ? "allowed" : "explicitDeny", answer.get("decision").asText());
      assertTrue(answer.get("revision").asLong() >= written, answer::toString);
    }
    // It listens again.
    long started = System.nanoTime();
    while (listeningSessions("node-two").isEmpty()
        && System.nanoTime() - started < 10_000_000_000L) {
      Thread.sleep(10);
    }
    assertEquals(1, listeningSessions("node-two").size());
  }

  /**
   * Each node names its database sessions after itself, so that an operator can tell in
   * pg_stat_activity which node holds a connection.
   */
  @Test
  void eachNodeNamesItsDatabaseSessionsAfterItself() throws SQLException {
    decide(one, "namer", null);
    decide(two, "namer", null);
    List<Long> sessions =
        first.row(
            "SELECT count(*) FILTER (WHERE application_name = 'rolegate node-one'),"
                + " count(*) FILTER (WHERE application_name = 'rolegate node-two')"
                + " FROM pg_stat_activity WHERE datname = current_database()");
    assertTrue(sessions.get(0) >= 1, "node one's sessions: " + sessions.get(0));
    assertTrue(sessions.get(1) >= 1, "node two's sessions: " + sessions.get(1));
  }

  /** The sessions of a node that listen for the store's changes: its follower's. */
  static List<Long> listeningSessions(String node) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = first.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name = 'rolegate "
                    + node
                    + "' AND query IN ('SELECT 1', 'LISTEN rolegate_token_revoked')")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  /** Ends a node's listening session, and returns once it is gone. */
  static void endListeningSession(String node) throws Exception {
    List<Long> sessions = listeningSessions(node);
    assertEquals(1, sessions.size(), "one follower per node: " + sessions);
    long pid = sessions.get(0);
    first.count("SELECT count(pg_terminate_backend(" + pid + "))");
    long started = System.nanoTime();
    while (first.count("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid) > 0) {
      if (System.nanoTime() - started > 5_000_000_000L) {
        throw new AssertionError("the listening session did not end: " + pid);
      }
      Thread.sleep(1);
    }
  }

  /**
   * A listener the follower lets go of stops listening before its connection goes back to the pool;
   * a pooled connection still listening would keep every later notification unread.
   */
  @Test
  void aListenerLetGoOfStopsListeningBeforeItsConnectionIsPooledAgain() throws Exception {
    ChangeFeed feed = first.context().getBean(ChangeFeed.class);
    // The pool itself, as the follower has it, not the bean that hands out a transaction's.
    DataSource pool =
        first
            .context()
            .getBean(DataSourceResolver.class)
            .resolve(first.context().getBean(DataSource.class));
    try (ChangeFeed.Listener listener = feed.listen()) {
      assertTrue(listener.poll(1).changes().isEmpty());
    }
    // The pool hands a thread the connection it gave back last first: the listener's.
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
      rs.next();
      assertEquals(0, rs.getLong(1), "the pooled connection still listens");
    }
  }

  /**
   * A change of SCP levels replaces that layer of the principals a node holds, in place: they stay
   * held (a node that dropped them would hold only what it decided on since) and are decided under
   * the new levels. The node here does not preload, so it holds only what it decided on.
   */
  @Test
  void anScpChangeSwapsTheLayerOfHeldPrincipalsWithoutDroppingThem() {
    try (RunningService node = first.another(Map.of("rolegate.snapshot.preload", "false"))) {
      Api three = node.api();
      long written = put(one, A + "/users/governed", userBody("Allow"));
      put(one, A + "/users/bystander", userBody("Allow"));
      assertTrue(
          decide(three, "governed", Long.toString(written)).json().get("allowed").asBoolean());
      assertEquals(1, three.get("/v1/status").json().at("/held/principals").asLong());
      long levels =
          put(
              one,
              A + "/service-control-policies",
              "{\"levels\":[[{\"name\":\"ec2-only\",\"document\":"
                  + policy("Allow", "ec2:*", "*")
                  + "}]]}");
      try {
        // Another principal, so that the node catches up without deciding on the held one.
        decide(three, "bystander", Long.toString(levels));
        assertEquals(2, three.get("/v1/status").json().at("/held/principals").asLong());
        JsonNode answer = decide(three, "governed", null).json();
        assertEquals("implicitDeny", answer.get("decision").asText(), answer::toString);
        assertTrue(answer.toString().contains("ec2-only"), answer::toString);
      } finally {
        put(one, A + "/service-control-policies", "{\"levels\":[]}");
      }
    }
  }

  /** A token revoked on one node stops working on the other at once, not after its cache time. */
  @Test
  void aTokenRevokedOnOneNodeIsRefusedByTheOther() throws InterruptedException {
    Response created = one.post("/v1/tokens", "{\"name\":\"short-lived\",\"scopes\":[\"decide\"]}");
    assertEquals(201, created.status(), created::toString);
    Api bearer = two.as(created.json().get("token").asText());
    assertEquals(200, bearer.get("/v1/status").status()); // the other node now trusts it
    assertEquals(200, one.delete("/v1/tokens/short-lived").status());
    long started = System.nanoTime();
    int status;
    do {
      status = bearer.get("/v1/status").status();
      if (status == 401) {
        break;
      }
      Thread.sleep(5);
    } while (System.nanoTime() - started < 10_000_000_000L);
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(401, status);
    assertTrue(millis < 2_000, "refused only after " + millis + " ms");
  }

  @Test
  void minRevisionReadsYourOwnWriteOnAnyNode() {
    put(one, A + "/users/reader", userBody("Allow"));
    assertTrue(decide(two, "reader", null).json().get("allowed").asBoolean());
    for (int i = 0; i < 10; i++) {
      String effect = i % 2 == 0 ? "Deny" : "Allow";
      long revision = put(one, A + "/users/reader", userBody(effect));
      JsonNode answer = decide(two, "reader", Long.toString(revision)).json();
      assertEquals(effect.equals("Allow"), answer.get("allowed").asBoolean(), answer::toString);
      assertTrue(answer.get("revision").asLong() >= revision);
    }
  }

  /** The log names the node that answered each decision, for an auditor tracing an answer. */
  @Test
  void theLogNamesTheNodeThatAnswered() {
    put(one, A + "/users/traced", userBody("Allow"));
    for (Api node : List.of(one, two)) {
      String id = decide(node, "traced", null).json().get("decisionId").asText();
      first.awaitAudit();
      second.awaitAudit();
      Response logged = one.get("/v1/decisions/" + id);
      assertEquals(node == one ? "node-one" : "node-two", logged.json().get("node").asText());
    }
    Response history = two.get("/v1/decisions?principal=arn:aws:iam::" + ACCOUNT + ":user/traced");
    List<String> nodes = new ArrayList<>();
    history.json().get("decisions").forEach(d -> nodes.add(d.get("node").asText()));
    assertEquals(List.of("node-two", "node-one"), nodes, history::toString);
    // Behind a load balancer, an operator learns which node answered its status call.
    assertEquals("node-one", one.get("/v1/status").json().get("node").asText());
    assertEquals("node-two", two.get("/v1/status").json().get("node").asText());
  }

  /** A revision beyond the store's was never returned by a write: retrying would not help. */
  @Test
  void aRevisionTheStoreHasNotReachedIsRefusedWith400() {
    long stored = first.count("SELECT revision FROM store_revision");
    Response r =
        two.post(
            "/v1/decisions/instance-profile",
            "{\"principal\":\"arn:aws:iam::"
                + ACCOUNT
                + ":user/nobody\",\"operation\":\"disassociate\","
                + "\"instanceArn\":\""
                + INSTANCE
                + "\",\"minRevision\":"
                + (stored + 1_000_000)
                + "}");
    assertEquals(400, r.status(), r::toString);
    assertEquals("invalid_request", r.code());
    assertEquals("minRevision", r.json().get("path").asText(), r::toString);
    assertTrue(
        r.json().get("message").asText().contains("is beyond the store's revision"), r::toString);
  }

  /**
   * After random writes on both nodes (a user's policies and groups, a group's, a managed policy's
   * versions, the role's trust, the role's instance profile, the account's SCP levels), what each
   * node keeps equals what a fresh node reads: a write drops exactly the entries it made stale.
   */
  @Test
  void keptSnapshotsEqualAFreshRead() {
    Random random = new Random(42);
    List<String> users = List.of("u0", "u1", "u2", "u3");
    List<String> effects = List.of("Allow", "Deny");
    put(one, A + "/policies/shared", "{\"document\":" + policy("Allow", "ec2:*", "*") + "}");
    put(
        one,
        A + "/groups/g",
        "{\"attachedPolicies\":[\"arn:aws:iam::" + ACCOUNT + ":policy/shared\"]}");
    for (String u : users) {
      put(one, A + "/users/" + u, userBody("Allow"));
    }
    long last = 0;
    List<String> differences = new ArrayList<>();
    for (int step = 0; step < 80; step++) {
      Api writer = random.nextBoolean() ? one : two;
      String user = users.get(random.nextInt(users.size()));
      switch (random.nextInt(8)) {
        case 0 ->
            last = put(writer, A + "/users/" + user, userBody(effects.get(random.nextInt(2))));
        case 1 ->
            last =
                put(
                    writer,
                    A + "/users/" + user,
                    "{\"groups\":[\"g\"],\"inlinePolicies\":{\"pass\":"
                        + policy("Allow", "iam:PassRole", "*")
                        + "}}");
        case 2 -> {
          pruneVersions(writer);
          last =
              put(
                  writer,
                  A + "/policies/shared",
                  "{\"document\":" + policy(effects.get(random.nextInt(2)), "ec2:*", "*") + "}");
        }
        case 3 ->
            last =
                put(
                    writer,
                    A + "/groups/g",
                    "{\"attachedPolicies\":["
                        + (random.nextBoolean()
                            ? "\"arn:aws:iam::" + ACCOUNT + ":policy/shared\""
                            : "")
                        + "],\"inlinePolicies\":{\"own\":"
                        + policy(effects.get(random.nextInt(2)), "iam:PassRole", "*")
                        + "}}");
        case 4 ->
            last =
                put(
                    writer,
                    A + "/roles/app",
                    "{\"trustPolicy\":"
                        + (random.nextBoolean()
                            ? trustEc2()
                            : trustEc2().replace("ec2.amazonaws.com", "lambda.amazonaws.com"))
                        + "}");
        case 5 ->
            last =
                put(
                    writer,
                    A + "/instance-profiles/app",
                    random.nextBoolean() ? "{\"role\":\"app\"}" : "{}");
        case 6 ->
            last =
                put(
                    writer,
                    A + "/service-control-policies",
                    List.of(
                            "{\"levels\":[]}",
                            "{\"levels\":[[{\"name\":\"all\",\"document\":"
                                + policy("Allow", "*", "*")
                                + "}]]}",
                            "{\"levels\":[[{\"name\":\"all\",\"document\":"
                                + policy("Allow", "*", "*")
                                + "}],[{\"name\":\"no-pass\",\"document\":"
                                + policy("Allow", "ec2:*", "*")
                                + "}]]}")
                        .get(random.nextInt(3)));
        default -> last = Math.max(last, pruneVersions(writer));
      }
      // warm both nodes' snapshots between writes
      decide(one, users.get(random.nextInt(users.size())), null);
      decide(two, users.get(random.nextInt(users.size())), null);
      if (step % 10 == 9) {
        differences.addAll(comparedWithAFreshNode(users, last, step));
      }
    }
    put(one, A + "/service-control-policies", "{\"levels\":[]}");
    assertEquals(List.of(), differences);
  }

  /** Each user's answer on both nodes against a node started now, which reads the store afresh. */
  static List<String> comparedWithAFreshNode(List<String> users, long revision, int step) {
    List<String> differences = new ArrayList<>();
    try (RunningService fresh = first.another()) {
      Api three = fresh.api();
      for (String u : users) {
        JsonNode expected = strip(decide(three, u, Long.toString(revision)).json());
        for (Api node : List.of(one, two)) {
          JsonNode kept = strip(decide(node, u, Long.toString(revision)).json());
          if (!expected.equals(kept)) {
            differences.add(
                "step " + step + ", " + u + ": fresh " + expected + " but kept " + kept);
          }
        }
      }
    }
    return differences;
  }

  /** Deletes every version of the shared policy but the default (IAM keeps at most five). */
  static long pruneVersions(Api writer) {
    long revision = 0;
    Response p = writer.get(A + "/policies/shared");
    for (JsonNode v : p.json().get("versions")) {
      if (!v.get("isDefault").asBoolean()) {
        Response d = writer.delete(A + "/policies/shared/versions/" + v.get("versionId").asText());
        assertEquals(200, d.status(), d::toString);
        revision = d.json().get("revision").asLong();
      }
    }
    return revision;
  }

  /** The answer without what differs between two identical decisions: id and revision. */
  static JsonNode strip(JsonNode answer) {
    var copy = answer.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy)
        .remove(List.of("decisionId", "revision"));
    return copy;
  }
}
