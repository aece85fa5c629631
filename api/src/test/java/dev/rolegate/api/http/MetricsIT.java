package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.api.testing.StoppablePostgres;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The metrics at {@code /prometheus}, scraped over HTTP without a token as Prometheus does: the
 * node's own (decisions by outcome, what it holds, its audit log) beside the server's requests.
 */
class MetricsIT {
  /** The value of the sample that starts with {@code series} (name and labels), if scraped. */
  static OptionalDouble sample(String scraped, String series) {
    for (String line : scraped.split("\n")) {
      if (line.startsWith(series + " ")) {
        return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
      }
    }
    return OptionalDouble.empty();
  }

  static String scrape(Api api) {
    Response r = api.as(null).get("/prometheus");
    assertEquals(200, r.status(), r::toString);
    assertTrue(r.header("Content-Type").orElse("").startsWith("text/plain"), r::toString);
    return r.raw().body();
  }

  /** The sample's value once it is at least {@code atLeast}, or the last one after 20 s. */
  static double await(Api api, String series, double atLeast) {
    Response r =
        api.as(null)
            .getUntil("/prometheus", s -> sample(s.raw().body(), series).orElse(-1) >= atLeast);
    return sample(r.raw().body(), series).orElse(-1);
  }

  @Test
  void decisionsTheStoreAndTheAuditLogAreCounted() throws Exception {
    try (RunningService service = RunningService.start()) {
      Api api = service.api();
      AuditDurabilityIT.importDemo(api);
      String allowed = DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE);
      String denied = DecisionApiIT.request("associate", DecisionApiIT.ADMIN_ROLE);
      for (String body : new String[] {allowed, allowed, denied}) {
        assertEquals(200, api.post("/v1/decisions/instance-profile", body).status());
      }
      service.awaitAudit();
      long revision = api.get("/v1/status").json().get("revision").asLong();
      long principals = api.get("/v1/status").json().at("/held/principals").asLong();

      String scraped = scrape(api);
      assertEquals(
          2.0, sample(scraped, "rolegate_decisions_total{decision=\"allowed\"}").orElse(-1));
      assertEquals(
          1.0, sample(scraped, "rolegate_decisions_total{decision=\"implicitDeny\"}").orElse(-1));
      assertEquals(
          0.0, sample(scraped, "rolegate_decisions_total{decision=\"explicitDeny\"}").orElse(-1));
      assertEquals(3.0, sample(scraped, "rolegate_audit_stored_total").orElse(-1), scraped);
      assertEquals(0.0, sample(scraped, "rolegate_audit_spooled_total").orElse(-1));
      assertEquals(0.0, sample(scraped, "rolegate_audit_queued").orElse(-1));
      assertEquals((double) revision, sample(scraped, "rolegate_revision_applied").orElse(-1));
      assertEquals(1.0, sample(scraped, "rolegate_ready").orElse(-1));
      assertEquals(1.0, sample(scraped, "rolegate_changes_following").orElse(-1));
      assertEquals(1.0, sample(scraped, "rolegate_held_accounts").orElse(-1));
      assertTrue(principals > 0);
      assertEquals((double) principals, sample(scraped, "rolegate_held_principals").orElse(-1));
      assertEquals(
          3.0,
          sample(
                  scraped,
                  "http_server_requests_seconds_count{exception=\"none\",method=\"POST\","
                      + "status=\"200\",uri=\"/v1/decisions/instance-profile\"}")
              .orElse(-1),
          scraped);
    }
  }

  /** Metrics can be turned off: decisions are answered as before and nothing is at /prometheus. */
  @Test
  void withMetricsOffDecisionsAreAnsweredAndNothingIsScraped() throws Exception {
    try (RunningService service =
        RunningService.start(Map.of("micronaut.metrics.enabled", false))) {
      Api api = service.api();
      AuditDurabilityIT.importDemo(api);
      AuditDurabilityIT.decide(api, 0);
      assertEquals(404, api.as(null).get("/prometheus").status());
      assertEquals(200, api.as(null).get("/health/liveness").status());
    }
  }

  /**
   * While PostgreSQL is stopped, a decision's record goes to the spool and the node says the log is
   * down, and the spool's bytes; once PostgreSQL is back, the record is replayed and counted, and
   * the spool is empty.
   */
  @Test
  void spooledAndReplayedDecisionsAreCounted() throws Exception {
    try (StoppablePostgres postgres = StoppablePostgres.start();
        RunningService service = RunningService.startOn(postgres.database(), Map.of())) {
      Api api = service.api();
      AuditDurabilityIT.importDemo(api);
      AuditDurabilityIT.decide(api, 0);
      service.awaitAudit();
      assertEquals(0.0, sample(scrape(api), "rolegate_audit_database_down").orElse(-1));

      postgres.stop();
      AuditDurabilityIT.decide(api, 1);
      assertEquals(1.0, await(api, "rolegate_audit_spooled_total", 1));
      assertEquals(1.0, sample(scrape(api), "rolegate_audit_database_down").orElse(-1));
      double spoolBytes = sample(scrape(api), "rolegate_audit_spool_bytes").orElse(-1);
      assertTrue(spoolBytes > 500, "one decision's line, answer and all: " + spoolBytes);

      postgres.startAgain();
      assertEquals(1.0, await(api, "rolegate_audit_replayed_total", 1));
      assertEquals(0.0, sample(scrape(api), "rolegate_audit_database_down").orElse(-1));
      assertEquals(1.0, sample(scrape(api), "rolegate_audit_stored_total").orElse(-1));
      assertEquals(0.0, sample(scrape(api), "rolegate_audit_spool_bytes").orElse(-1));
    }
  }
}
