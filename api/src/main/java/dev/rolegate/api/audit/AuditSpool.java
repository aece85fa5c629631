package dev.rolegate.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.persistence.audit.DecisionRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * Decisions that could not be stored yet, one JSON line each, appended and forced to disk batch by
 * batch. Each node spools into a folder of its own, which it holds locked while it runs. Replaying
 * moves the file aside first, stores its lines in batches and deletes it only when all are stored;
 * a replay cut short is retried, and the log ignores records it holds already, so nothing is lost
 * or stored twice. A node also replays the folders of nodes that stopped (their lock is free).
 * Callers serialise their calls.
 */
final class AuditSpool {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;
  private final Path directory;
  private final Path current;
  private final FileChannel lockChannel;

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

  /** Appends the batch and forces it to disk. */
  void append(List<DecisionRecord> batch) {
    StringBuilder lines = new StringBuilder();
    for (DecisionRecord r : batch) {
      lines.append(line(r)).append('\n');
    }
    try {
      Files.createDirectories(directory);
      try (FileChannel ch =
          FileChannel.open(
              current,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ch.write(java.nio.ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool decisions to " + current, e);
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
   * in batches; a file is deleted once all its records are stored. Throws (and keeps the file) when
   * {@code store} fails.
   */
  int replay(int batchSize, Consumer<List<DecisionRecord>> store) throws IOException {
    int replayed = replayFolder(batchSize, store);
    List<Path> others;
    try (Stream<Path> listed = Files.list(root)) {
      others = listed.filter(p -> Files.isDirectory(p) && !p.equals(directory)).toList();
    }
    for (Path other : others) {
      replayed += adopt(other, batchSize, store);
    }
    return replayed;
  }

  /** Replays a stopped node's folder: only if its lock is free, that is, its node is gone. */
  private int adopt(Path other, int batchSize, Consumer<List<DecisionRecord>> store)
      throws IOException {
    Path lockFile = other.resolve("lock");
    if (!Files.exists(lockFile)) {
      return 0;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = ch.tryLock()) {
      if (lock == null) {
        return 0;
      }
      int n = new AuditSpool(root, other, ch).replayFolder(batchSize, store);
      if (!hasPending(other)) {
        Files.deleteIfExists(lockFile);
        Files.deleteIfExists(other);
      }
      return n;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return 0; // another node of this process holds it
    }
  }

  private int replayFolder(int batchSize, Consumer<List<DecisionRecord>> store) throws IOException {
    if (Files.exists(current)) {
      Files.move(
          current,
          directory.resolve(
              "replay-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".jsonl"),
          StandardCopyOption.ATOMIC_MOVE);
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(directory)) {
      files =
          listed.filter(p -> p.getFileName().toString().startsWith("replay-")).sorted().toList();
    }
    int replayed = 0;
    for (Path file : files) {
      List<DecisionRecord> batch = new ArrayList<>(batchSize);
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          batch.add(record(line));
          if (batch.size() == batchSize) {
            store.accept(batch);
            replayed += batch.size();
            batch = new ArrayList<>(batchSize);
          }
        }
      }
      if (!batch.isEmpty()) {
        store.accept(batch);
        replayed += batch.size();
      }
      Files.delete(file);
    }
    return replayed;
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
    return o.toString();
  }

  /** A line as written by {@link #line}; a line that is not one is a damaged spool. */
  private static DecisionRecord record(String line) throws IOException {
    JsonNode o = JSON.readTree(line);
    return new DecisionRecord(
        UUID.fromString(o.get("decisionId").asText()),
        Instant.parse(o.get("decidedAt").asText()),
        o.get("caller").asText(),
        o.get("principal").asText(),
        o.get("operation").asText(),
        o.get("instanceArn").asText(),
        o.get("roleArn").isNull() ? null : o.get("roleArn").asText(),
        o.get("decision").asText(),
        o.get("allowed").asBoolean(),
        o.get("revision").asLong(),
        o.get("request").asText(),
        o.get("answer").asText());
  }
}
