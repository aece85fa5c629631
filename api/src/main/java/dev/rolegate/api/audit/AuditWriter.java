package dev.rolegate.api.audit;

import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.server.EmbeddedDatabase;
import dev.rolegate.api.server.Settings;
import dev.rolegate.persistence.audit.DecisionLog;
import dev.rolegate.persistence.audit.DecisionRecord;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records decisions off the request thread. Callers put records in a bounded queue; when the queue
 * is full they wait (back-pressure) instead of dropping records. One writer stores them in batches
 * (a binary COPY each; a batch that may be stored already, tried again or replayed from the spool,
 * as inserts that skip what the log holds). When PostgreSQL is unreachable the batches go to a
 * local spool file, forced to disk, and are replayed once it answers again, by a thread of their
 * own so that a long replay does not hold up the decisions answered meanwhile. When the spool
 * cannot be written either, a batch already answered is kept and tried again every second (the
 * queue fills meanwhile, and callers wait). Closing (graceful shutdown) stores or spools everything
 * queued.
 *
 * <p>By default the caller answers while its record waits in the queue, so that decisions do not
 * wait on the database; what the queue holds when the process dies without a shutdown (killed,
 * crashed) is then lost. With {@code rolegate.audit.answer-after-store} each record comes with a
 * future that completes once the record is stored or spooled, and the answer goes out only then: a
 * crash cannot lose a decision its caller has seen, at the price of a commit in every answer's
 * latency.
 */
@Singleton
public class AuditWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  private static final long REPLAY_EVERY_NANOS = 2_000_000_000L;

  private final DecisionLog log;
  private final AuditSpool spool;
  private final int batchSize;
  private final BlockingQueue<Pending> queue;
  private final boolean answerAfterStore;
  private final Executor completions;
  private final Thread writer;
  private final Thread replayer;
  private final Object idle = new Object();
  private volatile boolean closing;
  private volatile boolean databaseDown;
  private volatile long nextReplay;

  /** Records accepted into the queue, and records stored or spooled: their gap is the backlog. */
  private final AtomicLong accepted = new AtomicLong();

  private final AtomicLong finished = new AtomicLong();

  /**
   * Records stored in the log as written, spooled, and replayed from the spool into the log; spool
   * lines set aside as damaged.
   */
  private final AtomicLong stored = new AtomicLong();

  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong damaged = new AtomicLong();

  /**
   * Spooled decisions the log refused and that were set aside: skipped by later replays. Read and
   * written by the replay thread only, as is {@link #notStored}.
   */
  private final Set<UUID> refused = new HashSet<>();

  /** Of the records a replay handed to {@link #storeReplayed}, those not stored (refused ones). */
  private int notStored;

  /**
   * A queued record and the future its answer waits on: {@link #DONE} when answers do not wait for
   * the log.
   */
  private record Pending(DecisionRecord record, CompletableFuture<Void> stored) {}

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  public AuditWriter(
      DecisionLog log,
      @Value("${rolegate.audit.queue-capacity:10000}") int capacity,
      @Value("${rolegate.audit.batch-size:500}") int batchSize,
      @Value("${rolegate.audit.spool-dir:}") String spoolDir,
      @Value("${rolegate.audit.answer-after-store:false}") String answerAfterStore,
      @Named(TaskExecutors.BLOCKING) Executor completions) {
    // Checked here, before the writer starts: a writer thread that failed on them would leave the
    // queue to fill and every caller waiting.
    Settings.atLeast("ROLEGATE_AUDIT_QUEUE_CAPACITY", capacity, 1, "1 or more decisions");
    Settings.atLeast("ROLEGATE_AUDIT_BATCH_SIZE", batchSize, 1, "1 or more decisions");
    this.log = log;
    this.answerAfterStore = Settings.flag("ROLEGATE_AUDIT_ANSWER_AFTER_STORE", answerAfterStore);
    this.completions = completions;
    this.batchSize = batchSize;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.spool =
        AuditSpool.open(
            spoolDir.isBlank()
                ? EmbeddedDatabase.home().resolve("audit-spool")
                : Path.of(spoolDir));
    this.writer = Thread.ofPlatform().name("rolegate-audit-writer").start(this::run);
    this.replayer = Thread.ofPlatform().name("rolegate-audit-replay").start(this::replayAndProbe);
  }

  /**
   * Queues a decision, waiting while the queue is full. The answer may go out once the future
   * completes; it fails when the record could be neither stored nor spooled.
   */
  public CompletableFuture<Void> record(DecisionRecord record) {
    if (closing) {
      // Shutting down: the writer may be gone, so store or spool this one here.
      store(List.of(record), false);
      return DONE;
    }
    Pending pending = pending(record);
    try {
      accepted.incrementAndGet();
      queue.put(pending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store(List.of(record), false);
      finished.incrementAndGet();
      return DONE;
    }
    return pending.stored();
  }

  /**
   * Queues a decision if there is room now, with the future of {@link #record}; empty (nothing
   * queued) when the queue is full.
   */
  public Optional<CompletableFuture<Void>> offer(DecisionRecord record) {
    if (closing) {
      return Optional.empty();
    }
    Pending pending = pending(record);
    accepted.incrementAndGet();
    if (queue.offer(pending)) {
      return Optional.of(pending.stored());
    }
    accepted.decrementAndGet();
    return Optional.empty();
  }

  private Pending pending(DecisionRecord record) {
    return new Pending(record, answerAfterStore ? new CompletableFuture<>() : DONE);
  }

  /** Records waiting in memory. */
  public int queued() {
    return queue.size();
  }

  /**
   * Whether answers wait until their record is stored ({@code rolegate.audit.answer-after-store}).
   */
  public boolean answerAfterStore() {
    return answerAfterStore;
  }

  /**
   * Since the node started: records stored in the log as written (a batch tried again counts all
   * its records, some of which the log may have held), spooled, and replayed from a spool; and
   * spool lines that were not whole records, set aside instead of replayed.
   */
  public record Counts(long stored, long spooled, long replayed, long damaged) {}

  public Counts counts() {
    return new Counts(stored.get(), spooled.get(), replayed.get(), damaged.get());
  }

  /** Bytes of records waiting in the spool, this node's and those stopped nodes left. */
  public long spoolBytes() {
    return spool.pendingBytes();
  }

  /** Whether the last write failed and batches go to the spool. */
  public boolean databaseDown() {
    return databaseDown;
  }

  /**
   * Waits until every decision accepted before this call is stored (or spooled), at most {@code
   * timeout}; true when it is. The history endpoints call it so that an auditor sees what was just
   * answered.
   */
  public boolean awaitStored(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (finished.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          idle.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(batchSize);
    boolean retry = false;
    while (!closing || !queue.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first != null) {
            batch.add(first);
            queue.drainTo(batch, batchSize - 1);
          }
        }
        if (!batch.isEmpty()) {
          if (storeAndComplete(batch, retry)) {
            batch.clear();
            retry = false;
          } else {
            retry = true;
            retryLater(batch);
          }
        }
      } catch (InterruptedException e) {
        closing = true;
      } catch (RuntimeException e) {
        LOG.error("the audit writer failed; it goes on", e);
      }
    }
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /**
   * Stores or spools a batch, then lets the answers waiting on it go (on the blocking pool's
   * threads, so that the writer is not held up by writing responses); true when the batch is done
   * with. When neither the database nor the spool takes it, answers that wait for their record are
   * refused (the batch is done with), while a batch already answered is kept: false. {@code retry}:
   * the batch was tried before, and may be stored already.
   */
  private boolean storeAndComplete(List<Pending> batch, boolean retry) {
    List<DecisionRecord> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      records.add(p.record());
    }
    RuntimeException failure = null;
    try {
      store(records, retry);
    } catch (RuntimeException e) {
      failure = e;
    }
    if (failure != null && !answerAfterStore) {
      LOG.error(
          "cannot store or spool {} answered decisions ({}); keeping them and retrying",
          batch.size(),
          failure.getMessage());
      return false;
    }
    for (Pending p : batch) {
      CompletableFuture<Void> stored = p.stored();
      if (stored == DONE) {
        continue;
      }
      if (failure == null) {
        try {
          completions.execute(() -> stored.complete(null));
        } catch (RejectedExecutionException e) {
          stored.complete(null); // the pool is shutting down: answer from here
        }
      } else {
        stored.completeExceptionally(
            new ApiProblem(
                ErrorCode.AUDIT_UNAVAILABLE,
                "the decision could not be recorded, neither in the decision log nor in the spool ("
                    + failure.getMessage()
                    + "), so it is not answered; retry shortly"));
      }
    }
    if (failure != null) {
      LOG.error("cannot store or spool {} decisions; refused them", batch.size(), failure);
    }
    finished.addAndGet(batch.size());
    synchronized (idle) {
      idle.notifyAll();
    }
    return true;
  }

  /**
   * Keeps an answered batch that could not be stored for another try in a second; meanwhile the
   * queue fills and callers wait (back-pressure). A shutdown does not wait for it: the batch is
   * lost then, and said so.
   */
  private void retryLater(List<Pending> batch) throws InterruptedException {
    if (closing) {
      lost(batch.size());
      batch.clear();
      return;
    }
    Thread.sleep(1_000);
  }

  /** Answered decisions a shutdown could neither store nor spool: said, and counted as done. */
  private void lost(int count) {
    LOG.error("shutting down: {} answered decisions are lost from the audit log", count);
    finished.addAndGet(count);
  }

  /**
   * Stores a batch, or spools it when the database does not take it. A batch tried before may have
   * been stored by a commit whose answer was lost, so it skips the records the log holds.
   */
  private void store(List<DecisionRecord> batch, boolean retry) {
    if (!databaseDown) {
      try {
        if (retry) {
          log.appendIfAbsent(batch);
        } else {
          log.append(batch);
        }
        stored.addAndGet(batch.size());
        return;
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot store decisions ({}); spooling them until the database is back",
            e.getMessage());
        databaseDown = true;
      }
    }
    spool.append(batch);
    spooled.addAndGet(batch.size());
  }

  /**
   * The spool's own thread: while the database is down, asks it every second whether it takes
   * writes again; while it is up, replays the spool (this node's, and any a stopped node left)
   * every few seconds. Apart from the writer, so that the writer goes on storing new decisions
   * while a replay stores old ones (or waits for the database).
   */
  private void replayAndProbe() {
    while (!closing) {
      if (databaseDown) {
        probe();
      }
      if (!databaseDown) {
        replayIfDue();
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void probe() {
    try {
      log.append(List.of());
      LOG.info("the database takes decisions again");
      nextReplay = 0;
      databaseDown = false;
    } catch (RuntimeException e) {
      // still down
    }
  }

  private void replayIfDue() {
    long now = System.nanoTime();
    if (now < nextReplay) {
      return;
    }
    nextReplay = now + REPLAY_EVERY_NANOS;
    int refusedBefore = refused.size();
    notStored = 0;
    try {
      // A replay cut short is replayed again: the log skips what it stored the first time.
      AuditSpool.Replayed n = spool.replay(batchSize, this::storeReplayed);
      int refusedNow = refused.size() - refusedBefore;
      replayed.addAndGet(n.stored() - notStored);
      damaged.addAndGet(n.damaged() + refusedNow);
      if (n.stored() > notStored) {
        LOG.info("replayed {} spooled decisions into the decision log", n.stored() - notStored);
      }
    } catch (Exception e) {
      damaged.addAndGet(refused.size() - refusedBefore);
      if (!closing) {
        LOG.warn("replaying spooled decisions failed ({}); will retry", e.getMessage());
        databaseDown = true;
      }
    }
  }

  /**
   * Stores a batch read from a spool. When the log refuses it while the database is up, the batch
   * holds a record the log will never take (a value PostgreSQL refuses): each record is then stored
   * on its own and the refused ones are set aside, or that one record would fail every replay, and
   * the writer, taking the database for down, would spool every new decision. Throws while the
   * database is down, which stops the replay until it is back.
   */
  private void storeReplayed(List<DecisionRecord> batch) {
    if (closing) {
      throw new IllegalStateException("shutting down; the next start replays the rest");
    }
    List<DecisionRecord> left =
        refused.isEmpty()
            ? batch
            : batch.stream().filter(r -> !refused.contains(r.decisionId())).toList();
    notStored += batch.size() - left.size();
    try {
      log.appendIfAbsent(left);
      return;
    } catch (RuntimeException e) {
      log.append(List.of()); // throws while the database is down
    }
    for (DecisionRecord r : left) {
      try {
        log.appendIfAbsent(List.of(r));
      } catch (RuntimeException e) {
        log.append(List.of());
        Path kept = spool.setAsideRefused(r);
        refused.add(r.decisionId());
        notStored++;
        LOG.error(
            "the decision log refuses spooled decision {} ({}); set aside in {}",
            r.decisionId(),
            innermost(e).getMessage(),
            kept);
      }
    }
  }

  private static Throwable innermost(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  @PreDestroy
  public void close() {
    closing = true;
    replayer.interrupt();
    try {
      writer.join(30_000);
      replayer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty() && !storeAndComplete(rest, false)) {
      lost(rest.size());
    }
    spool.close();
  }
}
