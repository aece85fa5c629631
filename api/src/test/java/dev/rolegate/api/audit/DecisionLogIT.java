package dev.rolegate.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.decision.DecisionIds;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.persistence.audit.DecisionLog;
import dev.rolegate.persistence.audit.DecisionQuery;
import dev.rolegate.persistence.audit.DecisionRecord;
import dev.rolegate.persistence.store.StoreFailure;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision log stores what it is given, exactly: a batch of new decisions as one binary COPY
 * ({@link DecisionLog#append}), and a batch that may be stored already, skipping what the log holds
 * ({@link DecisionLog#appendIfAbsent}). Each record read back equals the one written: times to the
 * microsecond, no role, text beyond ASCII, answers far larger than the COPY's buffer.
 */
class DecisionLogIT {
  static RunningService service;
  static DecisionLog log;

  @BeforeAll
  static void start() {
    service = RunningService.start(Map.of());
    log = service.context().getBean(DecisionLog.class);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void aCopiedBatchReadsBackAsWritten() {
    Random random = new Random(11);
    List<DecisionRecord> batch = new ArrayList<>();
    Instant start = Instant.parse("2026-12-02T10:15:30.123456Z");
    for (int i = 0; i < 300; i++) {
      batch.add(record(start.plus(i * 997L, ChronoUnit.MICROS), random, "copy-" + i));
    }
    log.append(batch);

    for (DecisionRecord r : batch) {
      assertEquals(Optional.of(r), log.find(r.decisionId(), r.decidedAt()), r.caller());
    }
    assertEquals(
        300, service.count("SELECT count(*) FROM decision_log WHERE caller LIKE 'copy-%'"));
  }

  @Test
  void aBatchTriedAgainStoresOnlyWhatIsMissing() {
    Random random = new Random(12);
    Instant start = Instant.parse("2026-12-02T11:00:00Z");
    List<DecisionRecord> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(record(start.plusMillis(i), random, "again-" + i));
    }
    log.append(batch.subList(0, 20));
    log.appendIfAbsent(batch);
    log.appendIfAbsent(batch);

    assertEquals(
        50, service.count("SELECT count(*) FROM decision_log WHERE caller LIKE 'again-%'"));
    for (DecisionRecord r : batch) {
      assertEquals(Optional.of(r), log.find(r.decisionId(), r.decidedAt()), r.caller());
    }
  }

  @Test
  void aCopyOfADecisionTheLogHoldsStoresNoneOfItsBatch() {
    Random random = new Random(13);
    Instant start = Instant.parse("2026-12-02T12:00:00Z");
    DecisionRecord held = record(start, random, "held-0");
    log.append(List.of(held));
    DecisionRecord fresh = record(start.plusMillis(1), random, "held-1");

    assertThrows(StoreFailure.class, () -> log.append(List.of(fresh, held)));

    assertEquals(1, service.count("SELECT count(*) FROM decision_log WHERE caller LIKE 'held-%'"));
    assertEquals(Optional.empty(), log.find(fresh.decisionId(), fresh.decidedAt()));
  }

  @Test
  void anEmptyBatchStoresNothing() {
    long before = service.count("SELECT count(*) FROM decision_log");
    log.append(List.of());
    log.appendIfAbsent(List.of());
    assertEquals(before, service.count("SELECT count(*) FROM decision_log"));
  }

  @Test
  void theNewestCopiedDecisionsComeFirst() {
    Random random = new Random(14);
    Instant start = Instant.parse("2026-12-03T09:00:00Z");
    List<DecisionRecord> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(record(start.plusSeconds(i), random, "order-" + i));
    }
    log.append(batch);
    List<DecisionRecord> page =
        log.query(
            new DecisionQuery(
                Optional.of(batch.get(0).principal()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(start),
                Optional.of(start.plusSeconds(5)),
                Optional.empty(),
                10));
    assertEquals(batch.reversed(), page);
    assertTrue(page.getFirst().decidedAt().isAfter(page.getLast().decidedAt()));
  }

  /**
   * A retention period drops whole months once their last decision is past the cutoff, and the
   * older rows of the default partition; the month the cutoff falls in is kept whole, and a second
   * run drops nothing more.
   */
  @Test
  void decisionsPastTheRetentionAreDroppedByWholeMonths() {
    Random random = new Random(13);
    log.ensurePartitions(YearMonth.of(2020, 1), 3);
    log.append(
        List.of(
            record(Instant.parse("2019-06-15T00:00:00Z"), random, "retention-default"),
            record(Instant.parse("2020-01-31T23:59:59.999999Z"), random, "retention-january"),
            record(Instant.parse("2020-02-15T00:00:00Z"), random, "retention-february"),
            record(Instant.parse("2020-03-01T00:00:00Z"), random, "retention-march")));
    assertEquals(
        1,
        service.count("SELECT count(*) FROM decision_log_default WHERE caller LIKE 'retention-%'"));

    Instant cutoff = Instant.parse("2020-03-10T00:00:00Z");
    assertEquals(List.of("decision_log_2020_01", "decision_log_2020_02"), log.dropBefore(cutoff));
    assertEquals(
        List.of(1L, 1L, 0L),
        service.row(
            "SELECT count(*), count(*) FILTER (WHERE caller = 'retention-march'),"
                + " (SELECT count(*) FROM pg_class WHERE relname IN"
                + " ('decision_log_2020_01', 'decision_log_2020_02'))"
                + " FROM decision_log WHERE caller LIKE 'retention-%'"));
    assertEquals(List.of(), log.dropBefore(cutoff));
    assertEquals(
        1, service.count("SELECT count(*) FROM pg_class WHERE relname = 'decision_log_2020_03'"));
  }

  /** A node configured with a retention period applies it when it starts (and daily after). */
  @Test
  @SuppressWarnings("try") // the node is started for its housekeeping, not used
  void aNodeWithARetentionPeriodDropsTheMonthsPastItWhenItStarts() {
    log.ensurePartitions(YearMonth.of(2021, 5), 1);
    String current =
        "decision_log_"
            + DateTimeFormatter.ofPattern("yyyy_MM").format(YearMonth.now(ZoneOffset.UTC));
    try (RunningService node = service.another(Map.of("rolegate.audit.retention-months", 12))) {
      assertEquals(
          List.of(0L, 1L),
          service.row(
              "SELECT count(*) FILTER (WHERE relname = 'decision_log_2021_05'),"
                  + " count(*) FILTER (WHERE relname = '"
                  + current
                  + "') FROM pg_class"));
    }
  }

  @Test
  void aNegativeRetentionPeriodIsRefusedAtStart() {
    RuntimeException refused =
        assertThrows(
            RuntimeException.class,
            () -> service.another(Map.of("rolegate.audit.retention-months", -1)).close());
    assertTrue(
        refused.getMessage().contains("ROLEGATE_AUDIT_RETENTION_MONTHS must be 0"),
        refused::getMessage);
  }

  /**
   * A decision whose text fields vary: no role now and then, characters beyond ASCII and ones JSON
   * escapes, and now and then an answer of about 100 KB (the COPY's buffer is 64 KB).
   */
  static DecisionRecord record(Instant at, Random random, String caller) {
    boolean withRole = random.nextInt(4) != 0;
    String principal = "arn:aws:iam::111122223333:user/logtest/" + caller.replaceAll("-\\d+$", "");
    StringBuilder reason = new StringBuilder();
    int words = random.nextInt(10) == 0 ? 8_000 : 1 + random.nextInt(40);
    for (int i = 0; i < words; i++) {
      reason.append(random.nextBoolean() ? "Zugriff verweigert für Résumé " : "tab\\t \\\"q\\\" ");
    }
    boolean allowed = random.nextBoolean();
    return new DecisionRecord(
        DecisionIds.next(at),
        at,
        caller,
        principal,
        random.nextBoolean() ? "associate" : "replace",
        "arn:aws:ec2:eu-central-1:111122223333:instance/i-0" + random.nextInt(1_000_000),
        withRole ? "arn:aws:iam::111122223333:role/Été-" + random.nextInt(100) : null,
        allowed ? "allowed" : "denied",
        allowed,
        random.nextInt(1_000_000),
        "{\"principal\": \"" + principal + "\", \"note\": \"ünïcode ✓\"}",
        "{\"decisionId\": \"" + UUID.randomUUID() + "\", \"reason\": \"" + reason + "\"}",
        random.nextBoolean() ? "rolegate-" + random.nextInt(3) : null);
  }
}
