package dev.rolegate.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.persistence.audit.DecisionRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions that could not be stored yet, one JSON line each, appended and forced to disk batch by
 * batch. Each node spools into a folder of its own, which it holds locked while it runs. Replaying
 * moves the file aside first, stores its lines in batches and deletes it only when all are stored;
 * a replay cut short is retried, and the log ignores records it holds already, so nothing is lost
 * or stored twice. A node also replays the folders of nodes that stopped (their lock is free).
 *
 * <p>A line that is not a whole record (a write torn by a crash or a full disk, an edit by hand)
 * would otherwise stop every replay of its file, and with it the node's return to the log: it is
 * set aside, as written, in {@code damaged/} under the spool's root, reported with its file and
 * line, and the replay goes on.
 *
 * <p>Appends and a replay may run at once, on different threads: a replay takes the file being
 * appended to aside under the same lock as an append, then reads it without. Replays are not run at
 * once with each other.
 */
final class AuditSpool {
  private static final Logger LOG = LoggerFactory.getLogger(AuditSpool.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The folder under the spool's root that keeps damaged lines; never a node's folder. */
  static final String DAMAGED = "damaged";

  /** What a replay did: records handed to the log, and lines set aside as damaged. */
  record Replayed(int stored, int damaged) {
    Replayed plus(Replayed other) {
      return new Replayed(stored + other.stored, damaged + other.damaged);
    }
  }

  private final Path root;
  private final Path directory;
  private final Path current;
  private final FileChannel lockChannel;

  /** Held by an append, and by a replay while it takes the file being appended to aside. */
  private final Object appending = new Object();

  private AuditSpool(Path root, Path directory, FileChannel lockChannel) {
    this.root = root;
    this.directory = directory;
    this.current = directory.resolve("pending.jsonl");
    this.lockChannel = lockChannel;
  }

  /** A new spool folder for this node under {@code root}, locked while the node runs. */
  static AuditSpool open(Path root) {
    try {
      Path directory = root.resolve("node-" + UUID.randomUUID());
      Files.createDirectories(directory);
      FileChannel lock =
          FileChannel.open(
              directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock.lock();
      return new AuditSpool(root, directory, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit spool under " + root, e);
    }
  }

  /** Releases the folder; an empty one is removed, one with records waits for a replay. */
  void close() {
    try {
      lockChannel.close();
      if (!hasPending(directory)) {
        Files.deleteIfExists(directory.resolve("lock"));
        Files.deleteIfExists(directory);
      }
    } catch (IOException e) {
      // Left for the next node to adopt.
    }
  }

  /**
   * Appends the batch and forces it to disk. A write that fails is cut off again, so that the
   * batch, tried again, is spooled once; a file whose last line a crash tore gets a line break
   * first, so that the torn line does not swallow the next record.
   */
  void append(List<DecisionRecord> batch) {
    StringBuilder lines = new StringBuilder();
    for (DecisionRecord r : batch) {
      lines.append(line(r)).append('\n');
    }
    synchronized (appending) {
      write(lines);
    }
  }

  private void write(StringBuilder lines) {
    try {
      Files.createDirectories(directory);
      try (FileChannel ch =
          FileChannel.open(
              current,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        long end = ch.size();
        try {
          ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
          if (end > 0 && !endsWithLineBreak(ch, end)) {
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}), end);
            end++;
          }
          for (long at = end; bytes.hasRemaining(); ) {
            at += ch.write(bytes, at);
          }
          ch.force(true);
        } catch (IOException e) {
          cutBack(ch, end);
          throw e;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool decisions to " + current, e);
    }
  }

  private static boolean endsWithLineBreak(FileChannel ch, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    return ch.read(last, size - 1) == 1 && last.get(0) == '\n';
  }

  private static void cutBack(FileChannel ch, long size) {
    try {
      ch.truncate(size);
      ch.force(true);
    } catch (IOException e) {
      // The torn tail stays; the next append starts on a new line, and a replay sets it aside.
    }
  }

  /**
   * The bytes of records waiting in the spool's root, this node's and stopped nodes' (not the
   * damaged lines set aside): what a long outage fills the disk with, and what replays work off.
   */
  long pendingBytes() {
    try (Stream<Path> files = Files.walk(root, 2)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".jsonl"))
          .filter(p -> !p.getParent().getFileName().toString().equals(DAMAGED))
          .mapToLong(AuditSpool::size)
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a folder removed while listed: the next scrape counts again
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // replayed and deleted meanwhile
    }
  }

  private static boolean hasPending(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".jsonl"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Stores every record of this node's spool, and of stopped nodes' spools, through {@code store}
   * in batches; a file is deleted once all its records are stored and its damaged lines set aside.
   * Throws (and keeps the file) when {@code store} fails.
   */
  Replayed replay(int batchSize, Consumer<List<DecisionRecord>> store) throws IOException {
    Replayed replayed = replayFolder(batchSize, store);
    List<Path> others;
    try (Stream<Path> listed = Files.list(root)) {
      others =
          listed
              .filter(p -> Files.isDirectory(p) && !p.equals(directory))
              .filter(p -> !p.getFileName().toString().equals(DAMAGED))
              .toList();
    }
    for (Path other : others) {
      replayed = replayed.plus(adopt(other, batchSize, store));
    }
    return replayed;
  }

  /** Replays a stopped node's folder: only if its lock is free, that is, its node is gone. */
  private Replayed adopt(Path other, int batchSize, Consumer<List<DecisionRecord>> store)
      throws IOException {
    Replayed none = new Replayed(0, 0);
    Path lockFile = other.resolve("lock");
    if (!Files.exists(lockFile)) {
      return none;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = ch.tryLock()) {
      if (lock == null) {
        return none;
      }
      Replayed n = new AuditSpool(root, other, ch).replayFolder(batchSize, store);
      if (!hasPending(other)) {
        Files.deleteIfExists(lockFile);
        Files.deleteIfExists(other);
      }
      return n;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return none; // another node of this process holds it
    }
  }

  private Replayed replayFolder(int batchSize, Consumer<List<DecisionRecord>> store)
      throws IOException {
    synchronized (appending) {
      if (Files.exists(current)) {
        Files.move(
            current,
            directory.resolve(
                "replay-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".jsonl"),
            StandardCopyOption.ATOMIC_MOVE);
      }
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(directory)) {
      files =
          listed.filter(p -> p.getFileName().toString().startsWith("replay-")).sorted().toList();
    }
    Replayed replayed = new Replayed(0, 0);
    for (Path file : files) {
      replayed = replayed.plus(replayFile(file, batchSize, store));
    }
    return replayed;
  }

  /**
   * Replays one file. Its damaged lines are collected as it is read and set aside only once every
   * record is stored, so that a replay cut short and tried again sets each aside once.
   */
  private Replayed replayFile(Path file, int batchSize, Consumer<List<DecisionRecord>> store)
      throws IOException {
    List<DecisionRecord> batch = new ArrayList<>(batchSize);
    List<String> damaged = new ArrayList<>();
    int stored = 0;
    // Decoding replaces bytes that a torn write left malformed, so the line is set aside rather
    // than the whole file refused.
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          batch.add(record(line));
        } catch (DamagedLine e) {
          damaged.add(line);
          LOG.warn("audit spool {} line {} is not a decision record: {}", file, number, e.reason);
          continue;
        }
        if (batch.size() == batchSize) {
          store.accept(batch);
          stored += batch.size();
          batch = new ArrayList<>(batchSize);
        }
      }
    }
    if (!batch.isEmpty()) {
      store.accept(batch);
      stored += batch.size();
    }
    if (!damaged.isEmpty()) {
      Path kept = setAside(file, damaged);
      LOG.error(
          "audit spool {}: {} damaged lines set aside in {}; the other {} records were stored",
          file,
          damaged.size(),
          kept,
          stored);
    }
    Files.delete(file);
    return new Replayed(stored, damaged.size());
  }

  /**
   * Sets aside a record the log refused for what it holds (the database being up), as spooled, in
   * {@code damaged/refused-NODE.jsonl}: kept for a person to look at, and out of every later
   * replay.
   */
  Path setAsideRefused(DecisionRecord r) {
    try {
      Path folder = root.resolve(DAMAGED);
      Files.createDirectories(folder);
      Path kept = folder.resolve("refused-" + directory.getFileName() + ".jsonl");
      Files.writeString(
          kept,
          line(r) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return kept;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set aside a refused decision under " + root, e);
    }
  }

  /** Writes a file's damaged lines to {@code damaged/}, named after its node folder and file. */
  private Path setAside(Path file, List<String> lines) throws IOException {
    Path folder = root.resolve(DAMAGED);
    Files.createDirectories(folder);
    Path kept = folder.resolve(directory.getFileName() + "-" + file.getFileName());
    Files.write(kept, lines, StandardCharsets.UTF_8);
    return kept;
  }

  private static String line(DecisionRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("decisionId", r.decisionId().toString());
    o.put("decidedAt", r.decidedAt().toString());
    o.put("caller", r.caller());
    o.put("principal", r.principal());
    o.put("operation", r.operation());
    o.put("instanceArn", r.instanceArn());
    o.put("roleArn", r.roleArn());
    o.put("decision", r.decision());
    o.put("allowed", r.allowed());
    o.put("revision", r.revision());
    o.put("request", r.request());
    o.put("answer", r.answer());
    o.put("node", r.node());
    return o.toString();
  }

  /** A spool line that is not a whole decision record, and why. */
  static final class DamagedLine extends Exception {
    final String reason;

    DamagedLine(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * A line as written by {@link #line}. Anything else is damaged, including what the log would
   * refuse (request and answer that are not JSON), since the log refusing a replay would look like
   * the database being down, and the replay would never end.
   */
  static DecisionRecord record(String line) throws DamagedLine {
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new DamagedLine("not JSON (" + e.getOriginalMessage() + ")");
    }
    if (!o.isObject()) {
      throw new DamagedLine("not a JSON object");
    }
    try {
      JsonNode roleArn = o.get("roleArn");
      // Absent from lines spooled before nodes were named.
      JsonNode node = o.get("node");
      JsonNode allowed = o.get("allowed");
      JsonNode revision = o.get("revision");
      if (allowed == null || !allowed.isBoolean()) {
        throw new DamagedLine("`allowed` is missing or not a boolean");
      }
      if (revision == null || !revision.canConvertToLong() || !revision.isIntegralNumber()) {
        throw new DamagedLine("`revision` is missing or not an integer");
      }
      return new DecisionRecord(
          UUID.fromString(text(o, "decisionId")),
          Instant.parse(text(o, "decidedAt")),
          text(o, "caller"),
          text(o, "principal"),
          text(o, "operation"),
          text(o, "instanceArn"),
          roleArn == null || roleArn.isNull() ? null : text(o, "roleArn"),
          text(o, "decision"),
          allowed.booleanValue(),
          revision.longValue(),
          json(o, "request"),
          json(o, "answer"),
          node == null || node.isNull() ? null : text(o, "node"));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new DamagedLine("a malformed value (" + e.getMessage() + ")");
    }
  }

  private static String text(JsonNode o, String field) throws DamagedLine {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new DamagedLine("`" + field + "` is missing or not a string");
    }
    if (v.textValue().indexOf('\0') >= 0) {
      throw new DamagedLine(
          "`" + field + "` holds a NUL character, which PostgreSQL's text refuses");
    }
    return v.textValue();
  }

  private static String json(JsonNode o, String field) throws DamagedLine {
    String text = text(o, field);
    try {
      if (!JSON.readTree(text).isMissingNode()) {
        return text;
      }
    } catch (JsonProcessingException e) {
      // said below
    }
    throw new DamagedLine("`" + field + "` is not JSON text");
  }
}
