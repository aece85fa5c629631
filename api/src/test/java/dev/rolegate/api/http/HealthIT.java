package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.api.testing.StoppablePostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The health probes over HTTP, without a token: liveness only needs the process; readiness needs
 * the node to hold the store, and not the database once it does; {@code /health} needs both and the
 * database.
 */
class HealthIT {
  static final String ALICE_ASSOCIATE = DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE);

  /** The last answer of the path, once it has the status or after 20 s. */
  static Response await(Api probe, String path, int status) {
    return probe.getUntil(path, r -> r.status() == status);
  }

  static void assertUp(Response r) {
    assertEquals(200, r.status(), r::toString);
    assertEquals("{\"status\":\"UP\"}", r.raw().body());
  }

  static void assertDown(Response r, String reason) {
    assertEquals(503, r.status(), r::toString);
    assertEquals("DOWN", r.json().get("status").asText(), r::toString);
    assertTrue(r.json().get("reasons").toString().contains(reason), r::toString);
  }

  /** The principals of the demo account: its users and its roles' sessions. */
  static final int DEMO_PRINCIPALS = 13;

  /**
   * A node that holds the store keeps answering decisions while PostgreSQL is stopped, so it stays
   * ready (and alive); only {@code /health} says the database is away, until it is back.
   */
  @Test
  void aNodeThatHoldsTheStoreStaysReadyWhileTheDatabaseIsDown() throws Exception {
    try (StoppablePostgres postgres = StoppablePostgres.start();
        RunningService service =
            RunningService.startOn(
                postgres.database(), Map.of("rolegate.follower.max-pause", "500ms"))) {
      Api api = service.api();
      Api probe = api.as(null);
      AuditDurabilityIT.importDemo(api);
      assertUp(await(probe, "/health/readiness", 200));
      // Ready since it started (the store was empty); the import's principals are loaded after it.
      Response held =
          api.getUntil(
              "/v1/status", r -> r.json().at("/held/principals").asInt() >= DEMO_PRINCIPALS);
      assertTrue(held.json().at("/held/principals").asInt() >= DEMO_PRINCIPALS, held::toString);
      assertUp(probe.get("/health"));
      assertUp(probe.get("/health/liveness"));

      postgres.stop();
      assertDown(await(probe, "/health", 503), "the database does not answer");
      assertUp(probe.get("/health/readiness"));
      assertUp(probe.get("/health/liveness"));
      Response answer = api.post("/v1/decisions/instance-profile", ALICE_ASSOCIATE);
      assertEquals(200, answer.status(), answer::toString);
      // A revision the node has not applied cannot be read from the store now: 503, retry later.
      long applied = api.get("/v1/status").json().get("revision").asLong();
      Response behind =
          api.post(
              "/v1/decisions/instance-profile",
              ALICE_ASSOCIATE.substring(0, ALICE_ASSOCIATE.lastIndexOf('}'))
                  + ",\"minRevision\":"
                  + (applied + 1)
                  + "}");
      assertEquals(503, behind.status(), behind::toString);
      assertEquals("revision_not_reached", behind.code(), behind::toString);

      postgres.startAgain();
      assertUp(await(probe, "/health", 200));
      assertUp(probe.get("/health/readiness"));
    }
  }

  /**
   * A node starting on a store it cannot read yet (the test holds a lock on the roles table, which
   * a load reads) is alive but not ready until it has loaded every account once; a node that does
   * not preload is ready once it has caught up with the store.
   */
  @Test
  void aStartingNodeIsReadyOnceItHasLoadedEveryAccount() throws Exception {
    try (RunningService first = RunningService.start()) {
      AuditDurabilityIT.importDemo(first.api());
      RunningService second;
      RunningService lazy;
      try (Connection lock = first.connect()) {
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.execute("LOCK TABLE iam_role IN ACCESS EXCLUSIVE MODE");
        }
        second = first.another();
        lazy = first.another(Map.of("rolegate.snapshot.preload", false));
        Api probe = second.api().as(null);
        Response loading =
            probe.getUntil(
                "/health/readiness", r -> r.json().path("reasons").toString().contains("loading"));
        assertDown(loading, "loading the store's accounts: 1 left");
        assertDown(probe.get("/health"), "loading the store's accounts: 1 left");
        assertUp(probe.get("/health/liveness"));
        assertUp(await(lazy.api().as(null), "/health/readiness", 200));
        lock.commit();
      }
      try (second;
          lazy) {
        assertUp(await(second.api().as(null), "/health/readiness", 200));
        assertUp(second.api().as(null).get("/health"));
        assertEquals(1, second.api().get("/v1/status").json().at("/held/accounts").asInt());
      }
    }
  }
}
