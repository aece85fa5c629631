package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.DemoAccount;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.api.testing.StoppablePostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No answered decision is lost from the audit log: not while PostgreSQL is stopped and started
 * again in the middle (decisions are answered from the node's snapshot and spooled, then replayed),
 * and not across a graceful shutdown. A PostgreSQL of its own, which the test can stop.
 */
class AuditDurabilityIT {
  static final int N = 40;

  Path spool;
  StoppablePostgres postgres;

  @BeforeEach
  void setUp() throws IOException {
    spool = Files.createTempDirectory("rolegate-durability-spool");
    postgres = StoppablePostgres.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    postgres.close();
  }

  RunningService start() {
    return start(false);
  }

  /** A node; with {@code answerAfterStore}, one that answers only once the record is stored. */
  RunningService start(boolean answerAfterStore) {
    return RunningService.startOn(
        postgres.database(),
        Map.of(
            "rolegate.audit.spool-dir",
            spool.toString(),
            "datasources.default.connection-timeout",
            "1000",
            "rolegate.audit.answer-after-store",
            answerAfterStore));
  }

  /** A node with the demo account and one decision stored, as most of these tests begin. */
  RunningService startWithOneDecision(boolean answerAfterStore) throws IOException {
    RunningService service = start(answerAfterStore);
    importDemo(service.api());
    decide(service.api(), 0);
    service.awaitAudit();
    return service;
  }

  static void importDemo(Api api) {
    DemoAccount.importInto(api);
  }

  static void decide(Api api, int i) {
    String op = i % 2 == 0 ? "associate" : "disassociate";
    Response r =
        api.post(
            "/v1/decisions/instance-profile",
            DecisionApiIT.request(op, op.equals("associate") ? DecisionApiIT.WEB_ROLE : null));
    assertEquals(200, r.status(), r::toString);
  }

  /** {@code n} decisions in one batch, as {@link #decide} makes them one by one. */
  static void decideBatch(Api api, int n) {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String op = i % 2 == 0 ? "associate" : "disassociate";
      requests.add(
          DecisionApiIT.request(op, op.equals("associate") ? DecisionApiIT.WEB_ROLE : null));
    }
    Response r =
        api.post(
            "/v1/decisions/instance-profile/batch",
            "{\"requests\":[" + String.join(",", requests) + "]}");
    assertEquals(200, r.status(), r::toString);
    assertEquals(n, r.json().get("answers").size(), r::toString);
  }

  /**
   * A connection whose open transaction holds a lock on the decision log: reads go on, inserts wait
   * until it commits.
   */
  Connection lockLog() throws SQLException {
    Connection c = postgres.connect();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE decision_log IN SHARE MODE");
    }
    return c;
  }

  /** The log's counts once it holds {@code n} decisions, or after 30 s. */
  long[] awaitLogged(long n) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    long[] counts = logged();
    while (counts[0] < n && System.nanoTime() < deadline) {
      Thread.sleep(200);
      counts = logged();
    }
    return counts;
  }

  long[] logged() throws SQLException {
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*), count(DISTINCT decision_id) FROM decision_log")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  @Test
  void decisionsAnsweredWhileTheDatabaseIsDownAreReplayedOnceItIsBack() throws Exception {
    try (RunningService service = start()) {
      Api api = service.api();
      importDemo(api);
      for (int i = 0; i < N; i++) {
        decide(api, i);
      }
      service.awaitAudit();

      postgres.stop();
      for (int i = 0; i < N; i++) {
        decide(api, i); // from the node's snapshot; the record goes to the spool
      }
      decideBatch(api, N); // the same for every decision of a batch
      service.awaitAudit();

      postgres.startAgain();
      long[] counts = awaitLogged(3L * N);
      assertEquals(3L * N, counts[0], "decisions in the log");
      assertEquals(counts[0], counts[1], "a decision was stored twice");
    }
  }

  /**
   * With answer-after-store, an answer goes out only once its record is stored, so a crash cannot
   * lose a decision a caller has seen: while the log cannot take rows (the test holds a lock on
   * it), the answer waits.
   */
  @Test
  void anAnswerWaitsUntilItsRecordIsStored() throws Exception {
    try (RunningService service = startWithOneDecision(true)) {
      Api api = service.api();
      try (Connection c = lockLog()) {
        CompletableFuture<Response> answer =
            CompletableFuture.supplyAsync(
                () ->
                    api.post(
                        "/v1/decisions/instance-profile",
                        DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE)));
        Thread.sleep(1_000);
        assertFalse(answer.isDone(), "answered before the record was stored");
        c.commit();
        Response r = answer.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r::toString);
        assertEquals(
            1,
            service.count(
                "SELECT count(*) FROM decision_log WHERE decision_id = '"
                    + r.json().get("decisionId").asText()
                    + "'"));
      }
    }
  }

  /**
   * With answer-after-store, the database down and the spool unwritable, a decision cannot be
   * recorded: it is refused (503), not answered; once the spool takes records again, decisions are
   * answered and logged.
   */
  @Test
  void aDecisionThatCannotBeRecordedIsNotAnswered() throws Exception {
    try (RunningService service = startWithOneDecision(true)) {
      Api api = service.api();
      Path nodeSpool = stopDatabaseAndBlockSpool();

      Response refused =
          api.post(
              "/v1/decisions/instance-profile",
              DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE));
      assertEquals(503, refused.status(), refused::toString);
      assertEquals("audit_unavailable", refused.json().get("code").asText(), refused::toString);

      Files.delete(nodeSpool);
      decide(api, 1);
      postgres.startAgain();
      long[] counts = awaitLogged(2);
      assertEquals(2, counts[0], "the two answered decisions, not the refused one");
      assertEquals(2, counts[1]);
    }
  }

  /**
   * Back-pressure: while the log takes no rows (the test holds a lock on it), a small queue fills
   * and further callers wait instead of records being dropped; once the log takes rows again, every
   * caller is answered and every decision is logged once. Answers that wait for their record wait
   * from the first.
   */
  @ParameterizedTest(name = "answer after store: {0}")
  @ValueSource(booleans = {false, true})
  void aFullQueueSlowsCallersDownAndDropsNothing(boolean answerAfterStore) throws Exception {
    int capacity = 4;
    int batchSize = 2;
    int callers = 24;
    try (RunningService service =
        RunningService.startOn(
            postgres.database(),
            Map.of(
                "rolegate.audit.spool-dir", spool.toString(),
                "rolegate.audit.queue-capacity", capacity,
                "rolegate.audit.batch-size", batchSize,
                "rolegate.audit.answer-after-store", answerAfterStore))) {
      Api api = service.api();
      importDemo(api);
      long before = logged()[0];
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try (Connection c = lockLog()) {
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          answers.add(
              pool.submit(
                  () ->
                      api.post(
                          "/v1/decisions/instance-profile",
                          DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE))));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (queued(service) < capacity && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        Thread.sleep(300); // callers beyond the full queue have had time to be answered, if wrongly
        long answered = answers.stream().filter(Future::isDone).count();
        // At most one batch is with the blocked writer and `capacity` records wait in the queue.
        assertTrue(
            answered <= (answerAfterStore ? 0 : capacity + batchSize),
            answered + " callers answered while the log took no rows");
        assertEquals(capacity, queued(service));
        assertEquals(
            answerAfterStore,
            service.api().get("/v1/status").json().at("/audit/answerAfterStore").asBoolean());
        c.commit();
        for (Future<Response> f : answers) {
          Response r = f.get(20, TimeUnit.SECONDS);
          assertEquals(200, r.status(), r::toString);
        }
      } finally {
        pool.shutdownNow();
      }
      service.awaitAudit();
      long[] counts = logged();
      assertEquals(before + callers, counts[0], "decisions in the log");
      assertEquals(counts[0], counts[1], "a decision was stored twice");
    }
  }

  static int queued(RunningService service) {
    return service.api().get("/v1/status").json().at("/audit/queued").asInt();
  }

  /**
   * Takes away both places a record can go: stops the database, and puts a file where the node's
   * spool folder was. Answers that path, for the test to clear again.
   */
  Path stopDatabaseAndBlockSpool() throws IOException {
    postgres.stop();
    Path nodeSpool;
    try (var folders = Files.list(spool)) {
      nodeSpool = folders.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    try (var files = Files.list(nodeSpool)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(nodeSpool);
    Files.writeString(nodeSpool, "in the way");
    return nodeSpool;
  }

  /**
   * Decisions already answered that can be neither stored nor spooled are kept and tried again, not
   * dropped: once the spool and the database take records again, every one is logged.
   */
  @Test
  void answeredDecisionsAreKeptUntilTheyCanBeRecorded() throws Exception {
    try (RunningService service = startWithOneDecision(false)) {
      Api api = service.api();
      Path nodeSpool = stopDatabaseAndBlockSpool();
      for (int i = 1; i <= 5; i++) {
        decide(api, i); // answered at once; the record waits in the writer
      }
      Thread.sleep(1_500); // the writer has tried, and failed, at least once
      Files.delete(nodeSpool);
      postgres.startAgain();
      long[] counts = awaitLogged(6);
      assertEquals(6, counts[0], "decisions in the log");
      assertEquals(6, counts[1], "a decision was stored twice");
    }
  }

  /**
   * A graceful shutdown (SIGTERM) finishes the requests in flight before the server stops: a
   * decision that waits for its record (answer-after-store; the test holds a lock on the log) while
   * the node shuts down is still answered, and logged.
   */
  @Test
  void aGracefulShutdownAnswersTheRequestsInFlight() throws Exception {
    RunningService service = startWithOneDecision(true);
    Api api = service.api();
    CompletableFuture<Response> answer;
    CompletableFuture<Void> closed;
    try (Connection c = lockLog()) {
      answer =
          CompletableFuture.supplyAsync(
              () ->
                  api.post(
                      "/v1/decisions/instance-profile",
                      DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE)));
      Thread.sleep(500); // the request waits for its record
      closed = CompletableFuture.runAsync(service::close);
      Thread.sleep(500); // the shutdown has begun
      assertFalse(answer.isDone(), "answered before the record was stored");
      c.commit();
    }
    Response r = answer.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.status(), r::toString);
    closed.get(20, TimeUnit.SECONDS);
    assertEquals(2, logged()[0]);
  }

  @Test
  void aGracefulShutdownStoresEveryAnsweredDecision() throws Exception {
    RunningService service = start();
    importDemo(service.api());
    for (int i = 0; i < N; i++) {
      decide(service.api(), i);
    }
    decideBatch(service.api(), N);
    service.close(); // no waiting: the shutdown itself must store what is queued
    long[] counts = logged();
    assertEquals(2L * N, counts[0]);
    assertEquals(2L * N, counts[1]);
  }

  /**
   * A graceful shutdown that finds the writer in the middle of a batch (here: its insert waits on a
   * lock the test holds) lets it finish, then stores the rest, before the node's connections close:
   * every answered decision is in the log when the node has stopped, none left in the spool for a
   * next start that a node scaled away never has.
   */
  @Test
  void aGracefulShutdownStoresTheBatchInFlightBeforeClosingConnections() throws Exception {
    RunningService service = start();
    importDemo(service.api());
    CompletableFuture<Void> closed;
    try (Connection c = lockLog()) {
      for (int i = 0; i < N; i++) {
        decide(service.api(), i); // answered; the first record's insert waits for the lock
      }
      decideBatch(service.api(), N);
      closed = CompletableFuture.runAsync(service::close);
      Thread.sleep(1_000); // the shutdown has begun, and waits for the writer
      assertFalse(closed.isDone(), "stopped before the queued decisions were stored");
      c.commit();
    }
    closed.get(30, TimeUnit.SECONDS);
    long[] counts = logged();
    assertEquals(2L * N, counts[0], "stored by the stop, not spooled for a next start");
    assertEquals(2L * N, counts[1]);
  }

  /**
   * A spool left with damaged lines (here: a node's records spooled while PostgreSQL was down, then
   * a line of garbage and a last line torn, as a crash or a full disk leaves them) does not keep
   * the node that adopts it from the log: its whole records are replayed, the damaged lines set
   * aside and counted, and the node's own decisions go on being stored, not spooled.
   */
  @Test
  void aDamagedSpoolIsReplayedAroundItsDamagedLines() throws Exception {
    try (RunningService first = startWithOneDecision(false)) {
      postgres.stop();
      for (int i = 1; i <= 10; i++) {
        decide(first.api(), i);
      }
      first.awaitAudit();
    }
    Path file;
    try (var files = Files.walk(spool)) {
      file = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).findFirst().get();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(10, lines.size());
    List<String> damaged = new ArrayList<>(lines);
    damaged.add(4, "not a record");
    damaged.add(lines.get(9).substring(0, 100));
    Files.writeString(file, String.join("\n", damaged), StandardCharsets.UTF_8);

    postgres.startAgain();
    try (RunningService second = start()) {
      Api api = second.api();
      long[] counts = awaitLogged(11);
      assertEquals(11, counts[0], "the first decision and the ten spooled");
      for (int i = 11; i < 16; i++) {
        decide(api, i);
      }
      second.awaitAudit();
      counts = logged();
      assertEquals(16, counts[0], "decisions in the log");
      assertEquals(16, counts[1], "a decision was stored twice");
      String scraped = MetricsIT.scrape(api);
      assertEquals(2.0, MetricsIT.sample(scraped, "rolegate_audit_spool_damaged_total").orElse(-1));
      assertEquals(5.0, MetricsIT.sample(scraped, "rolegate_audit_stored_total").orElse(-1));
      assertEquals(0.0, MetricsIT.sample(scraped, "rolegate_audit_spooled_total").orElse(-1));
      List<String> kept = setAside();
      assertEquals(List.of("not a record", lines.get(9).substring(0, 100)), kept);
    }
  }

  /** The lines the node set aside in the spool's {@code damaged/}, of its one file there. */
  List<String> setAside() throws IOException {
    try (var files = Files.list(spool.resolve("damaged"))) {
      return Files.readAllLines(files.findFirst().get(), StandardCharsets.UTF_8);
    }
  }

  /** The time of the {@code i}th decision of a left spool: January 2020, the default partition. */
  static Instant january2020(int i) {
    return Instant.parse("2020-01-15T10:00:00Z").plusSeconds(i);
  }

  /**
   * A spool of {@code n} decisions of January 2020 left by a node that stopped, as the spool writes
   * them: they belong in the log's default partition, which a test can lock on its own.
   */
  void leaveStoppedNodeSpool(int n) throws IOException {
    leaveStoppedNodeSpool(n, AuditDurabilityIT::january2020);
  }

  /** The same, each decision made at {@code decidedAt.apply(i)}. */
  void leaveStoppedNodeSpool(int n, IntFunction<Instant> decidedAt) throws IOException {
    Path folder = spool.resolve("node-" + UUID.randomUUID());
    Files.createDirectories(folder);
    Files.createFile(folder.resolve("lock"));
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(
          json.createObjectNode()
              .put("decisionId", UUID.randomUUID().toString())
              .put("decidedAt", decidedAt.apply(i).toString())
              .put("caller", "bootstrap")
              .put("principal", "arn:aws:iam::111122223333:user/old" + i)
              .put("operation", "disassociate")
              .put("instanceArn", "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0")
              .putNull("roleArn")
              .put("decision", "allowed")
              .put("allowed", true)
              .put("revision", 1)
              .put("request", "{}")
              .put("answer", "{}")
              .toString());
    }
    Files.write(folder.resolve("pending.jsonl"), lines, StandardCharsets.UTF_8);
  }

  /**
   * Replaying a spool does not hold up the decisions answered meanwhile: while the replay waits
   * (the test holds a lock on the partition its records belong in), a decision that waits for its
   * record is stored and answered; once the lock goes, every spooled record is stored too.
   */
  @Test
  void aReplayDoesNotHoldUpNewDecisions() throws Exception {
    try (RunningService service = startWithOneDecision(true)) {
      Api api = service.api();
      try (Connection c = postgres.connect()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("LOCK TABLE decision_log_default IN SHARE MODE");
        }
        leaveStoppedNodeSpool(50);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (service.count("SELECT count(*) FROM pg_locks WHERE NOT granted") == 0) {
          assertTrue(System.nanoTime() < deadline, "the replay never began");
          Thread.sleep(100);
        }
        CompletableFuture<Response> answer =
            CompletableFuture.supplyAsync(
                () ->
                    api.post(
                        "/v1/decisions/instance-profile",
                        DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE)));
        Response r = answer.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r::toString);
        c.commit();
      }
      long[] counts = awaitLogged(52);
      assertEquals(52, counts[0], "two decisions and the 50 spooled");
      assertEquals(52, counts[1]);
    }
  }

  /**
   * A spooled record the log refuses for what it holds (a time past PostgreSQL's last year), though
   * the database is up: it is set aside and counted, the records beside it in its batch are stored,
   * and the node goes on storing its own decisions instead of taking the database for down.
   */
  @Test
  void aRecordTheLogRefusesIsSetAsideAndTheRestReplayed() throws Exception {
    try (RunningService service = startWithOneDecision(false)) {
      Api api = service.api();
      Instant beyond = Instant.parse("+300000-01-01T00:00:00Z");
      leaveStoppedNodeSpool(5, i -> i == 2 ? beyond : january2020(i));
      long[] counts = awaitLogged(5);
      assertEquals(5, counts[0], "the first decision and the four spooled the log takes");
      decide(api, 1);
      service.awaitAudit();
      assertEquals(6, logged()[0]);
      String scraped = MetricsIT.scrape(api);
      assertEquals(1.0, MetricsIT.sample(scraped, "rolegate_audit_spool_damaged_total").orElse(-1));
      assertEquals(4.0, MetricsIT.sample(scraped, "rolegate_audit_replayed_total").orElse(-1));
      assertEquals(0.0, MetricsIT.sample(scraped, "rolegate_audit_spooled_total").orElse(-1));
      assertEquals(0.0, MetricsIT.sample(scraped, "rolegate_audit_database_down").orElse(-1));
      List<String> kept = setAside();
      assertEquals(1, kept.size());
      assertTrue(kept.get(0).contains("\"decidedAt\":\"" + beyond + "\""), kept::toString);
    }
  }
}
