package dev.rolegate.api.server;

import dev.rolegate.api.auth.Tokens;
import dev.rolegate.persistence.audit.DecisionLog;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the decision log's monthly partitions ahead of time (last month to three months ahead), at
 * startup and daily, and warns when no token can call the API.
 */
@Singleton
public class Housekeeping implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private final DecisionLog decisionLog;
  private final Tokens tokens;
  private final Clock clock = Clock.systemUTC();

  public Housekeeping(DecisionLog decisionLog, Tokens tokens) {
    this.decisionLog = decisionLog;
    this.tokens = tokens;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    ensurePartitions();
    if (!tokens.hasBootstrapToken()) {
      LOG.warn("ROLEGATE_BOOTSTRAP_TOKEN is not set: only tokens created earlier can call the API");
    }
  }

  @Scheduled(fixedDelay = "24h", initialDelay = "24h")
  void ensurePartitions() {
    decisionLog.ensurePartitions(YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1), 5);
  }
}
