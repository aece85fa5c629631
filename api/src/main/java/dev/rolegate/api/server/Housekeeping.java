package dev.rolegate.api.server;

import dev.rolegate.api.auth.Tokens;
import dev.rolegate.persistence.audit.DecisionLog;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the decision log's monthly partitions ahead of time (last month to three months ahead), at
 * startup and daily; with a retention period ({@code rolegate.audit.retention-months}), drops the
 * months past it at the same times; and warns when no token can call the API.
 */
@Singleton
public class Housekeeping implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private final DecisionLog decisionLog;
  private final Tokens tokens;
  private final Clock clock = Clock.systemUTC();

  /** Months a decision is kept at least; 0 keeps every decision. */
  private final int retentionMonths;

  public Housekeeping(
      DecisionLog decisionLog,
      Tokens tokens,
      @Value("${rolegate.audit.retention-months:0}") int retentionMonths) {
    Settings.atLeast(
        "ROLEGATE_AUDIT_RETENTION_MONTHS",
        retentionMonths,
        0,
        "0 (keep every decision) or a number of months");
    this.decisionLog = decisionLog;
    this.tokens = tokens;
    this.retentionMonths = retentionMonths;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    maintainLog();
    if (!tokens.hasBootstrapToken()) {
      LOG.warn("ROLEGATE_BOOTSTRAP_TOKEN is not set: only tokens created earlier can call the API");
    }
  }

  @Scheduled(fixedDelay = "24h", initialDelay = "24h")
  void maintainLog() {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
    decisionLog.ensurePartitions(YearMonth.from(now).minusMonths(1), 5);
    if (retentionMonths > 0) {
      Instant cutoff = now.minusMonths(retentionMonths).toInstant();
      try {
        List<String> dropped = decisionLog.dropBefore(cutoff);
        if (!dropped.isEmpty()) {
          LOG.info(
              "dropped the decisions before {} (kept {} months): partitions {}",
              cutoff,
              retentionMonths,
              dropped);
        }
      } catch (RuntimeException e) {
        // Usually the log's lock was not had within the timeout: tried again tomorrow.
        LOG.warn("could not drop the decisions before {}: {}", cutoff, e.getMessage());
      }
    }
  }
}
