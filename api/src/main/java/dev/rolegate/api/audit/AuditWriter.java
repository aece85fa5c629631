package dev.rolegate.api.audit;

import dev.rolegate.api.server.EmbeddedDatabase;
import dev.rolegate.persistence.audit.DecisionLog;
import dev.rolegate.persistence.audit.DecisionRecord;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records decisions off the request thread. Callers put records in a bounded queue and go on; when
 * the queue is full they wait (back-pressure) instead of dropping records. One writer stores them
 * in batches (multi-row inserts). When PostgreSQL is unreachable the batches go to a local spool
 * file and are replayed once it answers again. Closing (graceful shutdown) stores or spools
 * everything queued.
 *
 * <p>What the queue holds when the process dies without a shutdown (killed, crashed) is lost: at
 * most {@code rolegate.audit.queue-capacity} records, usually far fewer.
 */
@Singleton
public class AuditWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  private static final long REPLAY_EVERY_NANOS = 2_000_000_000L;

  private final DecisionLog log;
  private final AuditSpool spool;
  private final int batchSize;
  private final BlockingQueue<DecisionRecord> queue;
  private final Thread writer;
  private final Object idle = new Object();
  private volatile boolean closing;
  private volatile boolean databaseDown;
  private volatile long nextReplay;

  /** Records accepted into the queue, and records stored or spooled: their gap is the backlog. */
  private final AtomicLong accepted = new AtomicLong();

  private final AtomicLong finished = new AtomicLong();

  public AuditWriter(
      DecisionLog log,
      @Value("${rolegate.audit.queue-capacity:10000}") int capacity,
      @Value("${rolegate.audit.batch-size:500}") int batchSize,
      @Value("${rolegate.audit.spool-dir:}") String spoolDir) {
    this.log = log;
    this.batchSize = batchSize;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.spool =
        AuditSpool.open(
            spoolDir.isBlank()
                ? EmbeddedDatabase.home().resolve("audit-spool")
                : Path.of(spoolDir));
    this.writer = Thread.ofPlatform().name("rolegate-audit-writer").start(this::run);
    Thread.ofPlatform().daemon().name("rolegate-audit-probe").start(this::probe);
  }

  /** Queues a decision; waits while the queue is full. */
  public void record(DecisionRecord record) {
    if (closing) {
      // Shutting down: the writer may be gone, so store or spool this one here.
      store(List.of(record));
      return;
    }
    try {
      accepted.incrementAndGet();
      queue.put(record);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store(List.of(record));
      finished.incrementAndGet();
    }
  }

  /** Queues a decision if there is room now; false (nothing queued) when the queue is full. */
  public boolean offer(DecisionRecord record) {
    if (closing) {
      return false;
    }
    accepted.incrementAndGet();
    if (queue.offer(record)) {
      return true;
    }
    accepted.decrementAndGet();
    return false;
  }

  /** Records waiting in memory. */
  public int queued() {
    return queue.size();
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
    List<DecisionRecord> batch = new ArrayList<>(batchSize);
    while (!closing || !queue.isEmpty()) {
      try {
        DecisionRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
          store(batch);
          finished.addAndGet(batch.size());
          batch.clear();
          synchronized (idle) {
            idle.notifyAll();
          }
        }
        replayIfDue();
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

  /** Stores a batch, or spools it when the database does not take it. */
  private void store(List<DecisionRecord> batch) {
    if (!databaseDown) {
      try {
        log.append(batch);
        return;
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot store decisions ({}); spooling them until the database is back",
            e.getMessage());
        databaseDown = true;
      }
    }
    synchronized (spool) {
      spool.append(batch);
    }
  }

  /** Replays the spool (this node's, and any a stopped node left) when the database is up. */
  private void replayIfDue() {
    long now = System.nanoTime();
    if (databaseDown || now < nextReplay) {
      return;
    }
    nextReplay = now + REPLAY_EVERY_NANOS;
    synchronized (spool) {
      try {
        int n = spool.replay(batchSize, log::append);
        if (n > 0) {
          LOG.info("replayed {} spooled decisions into the decision log", n);
        }
      } catch (Exception e) {
        LOG.warn("replaying spooled decisions failed ({}); will retry", e.getMessage());
        databaseDown = true;
      }
    }
  }

  /** While the database is down, asks it every second whether it takes writes again. */
  private void probe() {
    while (!closing) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
      if (databaseDown) {
        try {
          log.append(List.of());
          LOG.info("the database takes decisions again");
          nextReplay = 0;
          databaseDown = false;
        } catch (RuntimeException e) {
          // still down
        }
      }
    }
  }

  @Override
  @PreDestroy
  public void close() {
    closing = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<DecisionRecord> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      store(rest);
      finished.addAndGet(rest.size());
    }
    synchronized (spool) {
      spool.close();
    }
  }
}
