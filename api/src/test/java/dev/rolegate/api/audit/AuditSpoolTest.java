package dev.rolegate.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.persistence.audit.DecisionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool keeps batches on disk, replays each record once, and adopts a stopped node's. */
class AuditSpoolTest {
  @TempDir Path root;

  static DecisionRecord record(int i) {
    return new DecisionRecord(
        UUID.randomUUID(),
        Instant.parse("2026-11-24T10:00:00Z").plusMillis(i),
        "caller",
        "arn:aws:iam::111122223333:user/u" + i,
        "associate",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0",
        i % 2 == 0 ? null : "arn:aws:iam::111122223333:role/r",
        "allowed",
        true,
        i,
        "{\"principal\":\"u" + i + "\"}",
        "{\"allowed\":true,\"note\":\"a + b\"}");
  }

  @Test
  void replaysEveryRecordOnceAndExactlyAsSpooled() throws IOException {
    AuditSpool spool = AuditSpool.open(root);
    List<DecisionRecord> written = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      List<DecisionRecord> records = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        records.add(record(batch * 7 + i));
      }
      spool.append(records);
      written.addAll(records);
    }
    List<DecisionRecord> stored = new ArrayList<>();
    assertEquals(21, spool.replay(5, stored::addAll));
    assertEquals(written, stored);
    assertEquals(0, spool.replay(5, stored::addAll));
    assertEquals(21, stored.size());
    spool.close();
  }

  @Test
  void aFailedReplayKeepsTheRecordsForTheNextTry() throws IOException {
    AuditSpool spool = AuditSpool.open(root);
    List<DecisionRecord> spooled = List.of(record(1), record(2));
    spool.append(spooled);
    assertThrows(
        IllegalStateException.class,
        () ->
            spool.replay(
                10,
                batch -> {
                  throw new IllegalStateException("database down");
                }));
    List<DecisionRecord> stored = new ArrayList<>();
    assertEquals(2, spool.replay(10, stored::addAll));
    assertEquals(spooled, stored);
    spool.close();
  }

  @Test
  void aRunningNodeAdoptsTheSpoolOfAStoppedOneButNotOfARunningOne() throws IOException {
    AuditSpool stopped = AuditSpool.open(root);
    stopped.append(List.of(record(1), record(2), record(3)));
    AuditSpool running = AuditSpool.open(root);
    running.append(List.of(record(4)));
    AuditSpool me = AuditSpool.open(root);

    List<DecisionRecord> stored = new ArrayList<>();
    // Both others hold their locks: nothing of theirs is touched.
    assertEquals(0, me.replay(10, stored::addAll));
    stopped.close();
    assertEquals(3, me.replay(10, stored::addAll));
    assertEquals(3, stored.size());
    try (Stream<Path> folders = Files.list(root)) {
      assertEquals(2, folders.count(), "the stopped node's folder is removed once replayed");
    }
    running.close();
    assertEquals(1, me.replay(10, stored::addAll));
    me.close();
    try (Stream<Path> folders = Files.list(root)) {
      assertTrue(folders.findAny().isEmpty(), "empty folders are removed on close");
    }
  }
}
