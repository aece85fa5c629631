package dev.rolegate.api.server;

import dev.rolegate.api.audit.AuditWriter;
import dev.rolegate.api.snapshot.ChangeFollower;
import dev.rolegate.api.snapshot.PolicySnapshots;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * This node's own metrics, read from memory when scraped (at {@code /prometheus}, beside the
 * server's requests, the JVM and the connection pool): what {@code GET /v1/status} and the health
 * probes tell, as numbers to graph and alert on across nodes. Decisions by outcome are counted
 * where they are answered ({@code DecisionService}).
 *
 * <p>Registered once the server has started rather than as a {@code MeterBinder}: the registry
 * binds those while the connection pool is being created (to measure it), and these gauges read
 * beans that need the pool, so each start made pools over again until PostgreSQL refused more
 * connections.
 */
@Singleton
@Requires(beans = MeterRegistry.class)
public class NodeMetrics implements ApplicationEventListener<ServerStartupEvent> {
  private final PolicySnapshots snapshots;
  private final ChangeFollower follower;
  private final AuditWriter audit;
  private final Readiness readiness;
  private final MeterRegistry registry;
  private final Optional<Tls.Check> tls;

  public NodeMetrics(
      PolicySnapshots snapshots,
      ChangeFollower follower,
      AuditWriter audit,
      Readiness readiness,
      MeterRegistry registry,
      Optional<Tls.Check> tls) {
    this.tls = tls;
    this.snapshots = snapshots;
    this.follower = follower;
    this.audit = audit;
    this.readiness = readiness;
    this.registry = registry;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    gauge(
        "rolegate.revision.applied",
        "The store revision this node has applied",
        n -> n.snapshots.applied());
    gauge(
        "rolegate.ready",
        "1 when this node can answer decisions (/health/readiness)",
        n -> n.readiness.ready() ? 1 : 0);
    gauge(
        "rolegate.changes.following",
        "1 when this node follows the store's changes (needs the database)",
        n -> n.follower.connected() ? 1 : 0);
    gauge(
        "rolegate.held.accounts",
        "Accounts this node holds compiled",
        n -> n.snapshots.held().accounts());
    gauge(
        "rolegate.held.principals",
        "Principals this node holds compiled",
        n -> n.snapshots.held().principals());
    gauge("rolegate.held.roles", "Roles this node holds compiled", n -> n.snapshots.held().roles());
    gauge(
        "rolegate.audit.queued", "Decisions waiting in memory to be logged", n -> n.audit.queued());
    gauge(
        "rolegate.audit.database.down",
        "1 while the decision log does not take writes and decisions go to the spool",
        n -> n.audit.databaseDown() ? 1 : 0);
    gauge(
        "rolegate.audit.spool.bytes",
        "Bytes of decisions waiting in the spool to be replayed (this node's and stopped nodes')",
        n -> n.audit.spoolBytes());
    counter(
        "rolegate.audit.stored",
        "Decisions stored in the log as written",
        n -> n.audit.counts().stored());
    counter(
        "rolegate.audit.spooled",
        "Decisions written to the spool while the log did not take them",
        n -> n.audit.counts().spooled());
    counter(
        "rolegate.audit.replayed",
        "Decisions replayed from a spool into the log",
        n -> n.audit.counts().replayed());
    counter(
        "rolegate.audit.spool.damaged",
        "Spool lines that were not whole decision records, set aside under damaged/ in the spool",
        n -> n.audit.counts().damaged());
    if (tls.isPresent()) {
      gauge(
          "rolegate.tls.certificate.expiry.seconds",
          "When the certificate this node serves (ROLEGATE_TLS_CERTIFICATE) ends, in seconds since"
              + " 1970",
          n -> n.tls.orElseThrow().notAfter().getEpochSecond());
    }
  }

  private void gauge(String name, String description, ToDoubleFunction<NodeMetrics> f) {
    Gauge.builder(name, this, f).description(description).register(registry);
  }

  private void counter(String name, String description, ToDoubleFunction<NodeMetrics> f) {
    FunctionCounter.builder(name, this, f).description(description).register(registry);
  }
}
