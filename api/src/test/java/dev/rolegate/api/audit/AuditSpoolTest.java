package dev.rolegate.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.persistence.audit.DecisionRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        "{\"allowed\":true,\"note\":\"a + b\"}",
        i % 3 == 0 ? null : "node-" + i % 3);
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
    long bytes;
    try (Stream<Path> files = Files.walk(root)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertEquals(bytes, spool.pendingBytes(), "the spooled lines, the lock file being empty");
    List<DecisionRecord> stored = new ArrayList<>();
    assertEquals(new AuditSpool.Replayed(21, 0), spool.replay(5, stored::addAll));
    assertEquals(0, spool.pendingBytes());
    assertEquals(written, stored);
    assertEquals(new AuditSpool.Replayed(0, 0), spool.replay(5, stored::addAll));
    assertEquals(21, stored.size());
    spool.close();
  }

  /**
   * Lines spooled before nodes were named have no `node`: they replay with none. A `node` that is
   * not a string makes the line damaged, as any other field of the wrong kind.
   */
  @Test
  void aLineSpooledBeforeNodesWereNamedReplaysWithoutANode() throws Exception {
    String old =
        "{\"decisionId\":\"01a23c1a-391c-7bf5-9070-1e311e0aa604\","
            + "\"decidedAt\":\"2026-11-24T10:00:00Z\",\"caller\":\"c\","
            + "\"principal\":\"arn:aws:iam::111122223333:user/u\",\"operation\":\"disassociate\","
            + "\"instanceArn\":\"arn:aws:ec2:us-east-1:111122223333:instance/i-1\","
            + "\"roleArn\":null,\"decision\":\"allowed\",\"allowed\":true,\"revision\":3,"
            + "\"request\":\"{}\",\"answer\":\"{}\"";
    DecisionRecord r = AuditSpool.record(old + "}");
    assertEquals(null, r.node());
    assertEquals(3, r.revision());
    assertEquals("node-a", AuditSpool.record(old + ",\"node\":\"node-a\"}").node());
    assertThrows(AuditSpool.DamagedLine.class, () -> AuditSpool.record(old + ",\"node\":7}"));
  }

  /** A replay whose every store fails, as while the database is down: it throws. */
  static void replayWhileTheDatabaseIsDown(AuditSpool spool) {
    assertThrows(
        IllegalStateException.class,
        () ->
            spool.replay(
                10,
                batch -> {
                  throw new IllegalStateException("database down");
                }));
  }

  @Test
  void aFailedReplayKeepsTheRecordsForTheNextTry() throws IOException {
    AuditSpool spool = AuditSpool.open(root);
    List<DecisionRecord> spooled = List.of(record(1), record(2));
    spool.append(spooled);
    replayWhileTheDatabaseIsDown(spool);
    List<DecisionRecord> stored = new ArrayList<>();
    assertEquals(2, spool.replay(10, stored::addAll).stored());
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
    assertEquals(0, me.replay(10, stored::addAll).stored());
    stopped.close();
    assertEquals(3, me.replay(10, stored::addAll).stored());
    assertEquals(3, stored.size());
    try (Stream<Path> folders = Files.list(root)) {
      assertEquals(2, folders.count(), "the stopped node's folder is removed once replayed");
    }
    running.close();
    assertEquals(1, me.replay(10, stored::addAll).stored());
    me.close();
    try (Stream<Path> folders = Files.list(root)) {
      assertTrue(folders.findAny().isEmpty(), "empty folders are removed on close");
    }
  }

  /** The node's spool file, as {@link AuditSpool#append} writes it. */
  Path pending() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.getFileName().toString().equals("pending.jsonl"))
          .findFirst()
          .get();
    }
  }

  /** The lines set aside in {@code damaged/}, from every file there. */
  List<String> setAside() throws IOException {
    Path folder = root.resolve(AuditSpool.DAMAGED);
    List<String> lines = new ArrayList<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.sorted().toList()) {
          lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
      }
    }
    return lines;
  }

  static DecisionRecord withPrincipal(DecisionRecord r, String principal) {
    return new DecisionRecord(
        r.decisionId(),
        r.decidedAt(),
        r.caller(),
        principal,
        r.operation(),
        r.instanceArn(),
        r.roleArn(),
        r.decision(),
        r.allowed(),
        r.revision(),
        r.request(),
        r.answer(),
        r.node());
  }

  /**
   * Lines that are not whole records (garbage, a missing field, a value of the wrong kind, a
   * request the log would refuse, a last line torn inside a two-byte character) are set aside as
   * written, and every whole record around them is stored: a damaged line does not hold the file,
   * or the node's return to the log, back.
   */
  @Test
  void damagedLinesAreSetAsideAndEveryWholeRecordIsStored() throws IOException {
    AuditSpool spool = AuditSpool.open(root);
    List<DecisionRecord> written = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      written.add(withPrincipal(record(i), "arn:aws:iam::111122223333:user/ren\u00e9-" + i));
    }
    spool.append(written.subList(0, 3));
    Path file = pending();
    String whole = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
    List<String> damaged =
        List.of(
            "this is not JSON",
            "[1, 2]",
            whole.replace("\"caller\":\"caller\",", ""),
            whole.replace("\"allowed\":true", "\"allowed\":\"yes\""),
            whole.replace("\"revision\":0", "\"revision\":1.5"),
            whole.replace("\"decidedAt\":\"", "\"decidedAt\":\"yesterday "),
            whole.replace("{\\\"principal\\\"", "{principal"),
            whole.replace("\"caller\":\"caller\"", "\"caller\":\"call\\u0000er\""));
    assertEquals(8, new java.util.HashSet<>(damaged).size(), "each damage changes the line");
    Files.write(file, damaged, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    spool.append(written.subList(3, 6));
    byte[] last = whole.getBytes(StandardCharsets.UTF_8);
    int cut = whole.indexOf('\u00e9') + 1; // the first byte of é's two
    Files.write(
        file,
        java.util.Arrays.copyOf(
            last, whole.substring(0, cut).getBytes(StandardCharsets.UTF_8).length - 1),
        java.nio.file.StandardOpenOption.APPEND);

    List<DecisionRecord> stored = new ArrayList<>();
    AuditSpool.Replayed replayed = spool.replay(4, stored::addAll);
    assertEquals(written, stored);
    assertEquals(new AuditSpool.Replayed(6, 9), replayed);
    List<String> kept = setAside();
    assertEquals(9, kept.size(), kept::toString);
    assertEquals(damaged, kept.subList(0, 8), "set aside as written");
    assertTrue(kept.get(8).startsWith(whole.substring(0, cut - 1)), kept.get(8));
    assertEquals(new AuditSpool.Replayed(0, 0), spool.replay(4, stored::addAll));
    assertEquals(0, spool.pendingBytes(), "lines set aside are not waiting");
    spool.close();
  }

  /** A replay cut short, then tried again, sets each damaged line aside once. */
  @Test
  void aReplayTriedAgainSetsEachDamagedLineAsideOnce() throws IOException {
    AuditSpool spool = AuditSpool.open(root);
    List<DecisionRecord> whole = List.of(record(1), record(2));
    spool.append(whole.subList(0, 1));
    Files.writeString(pending(), "{\"torn\n", java.nio.file.StandardOpenOption.APPEND);
    spool.append(whole.subList(1, 2));
    replayWhileTheDatabaseIsDown(spool);
    assertEquals(List.of(), setAside(), "nothing set aside before the records are stored");
    List<DecisionRecord> stored = new ArrayList<>();
    assertEquals(new AuditSpool.Replayed(2, 1), spool.replay(10, stored::addAll));
    assertEquals(whole, stored);
    assertEquals(List.of("{\"torn"), setAside());
    spool.close();
  }

  /**
   * A crash that tore the file's last line does not cost the next batch its first record: the next
   * append starts on a line of its own.
   */
  @Test
  void anAppendAfterATornLineStartsOnANewLine() throws IOException {
    AuditSpool spool = AuditSpool.open(root);
    List<DecisionRecord> first = List.of(record(1), record(2));
    spool.append(first);
    String line = Files.readAllLines(pending(), StandardCharsets.UTF_8).get(0);
    Files.writeString(
        pending(), line.substring(0, line.length() / 2), java.nio.file.StandardOpenOption.APPEND);
    List<DecisionRecord> second = List.of(record(3), record(4));
    spool.append(second);

    List<DecisionRecord> stored = new ArrayList<>();
    assertEquals(new AuditSpool.Replayed(4, 1), spool.replay(10, stored::addAll));
    List<DecisionRecord> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(all, stored);
    spool.close();
  }
}
