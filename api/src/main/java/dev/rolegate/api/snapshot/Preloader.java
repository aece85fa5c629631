package dev.rolegate.api.snapshot;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every account whole ({@link PolicySnapshots#load}) once the node has caught up with the
 * store, and loads an account again after each write to it, on one background thread. Writes that
 * come while a load runs are coalesced: an account waits in the queue at most once. Until an
 * account is loaded (and between a write and its next load) decisions read the principals they need
 * from the store one by one, as they would without preloading. Off with {@code
 * rolegate.snapshot.preload=false}.
 */
@Context
@Requires(property = "rolegate.snapshot.preload", notEquals = "false")
public class Preloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Preloader.class);

  private final PolicySnapshots snapshots;
  private final Set<String> pending = new LinkedHashSet<>();
  private final Thread thread;
  private volatile boolean running = true;

  public Preloader(PolicySnapshots snapshots) {
    this.snapshots = snapshots;
    snapshots.onChange(this::schedule);
    this.thread = Thread.ofPlatform().daemon().name("rolegate-preloader").start(this::run);
  }

  private void schedule(String accountId) {
    synchronized (pending) {
      pending.add(accountId);
      pending.notifyAll();
    }
  }

  private void run() {
    Duration pause = Duration.ofMillis(200);
    while (running) {
      try {
        if (snapshots.await(0, Duration.ofSeconds(5))) {
          snapshots.accountIds().forEach(this::schedule);
          break;
        }
      } catch (RuntimeException e) {
        LOG.debug("cannot list accounts yet: {}", e.getMessage());
      }
      sleep(pause);
    }
    while (running) {
      String accountId;
      synchronized (pending) {
        while (pending.isEmpty() && running) {
          try {
            pending.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (!running) {
          return;
        }
        accountId = pending.iterator().next();
        pending.remove(accountId);
      }
      load(accountId);
    }
  }

  private void load(String accountId) {
    long started = System.nanoTime();
    try {
      snapshots
          .load(accountId)
          .ifPresent(
              b ->
                  LOG.info(
                      "account {} loaded at revision {}: {} principals, {} statements in {} ms",
                      accountId,
                      b.revision(),
                      b.principals().size(),
                      b.statements(),
                      (System.nanoTime() - started) / 1_000_000));
    } catch (RuntimeException e) {
      // The database is away: decisions go on from what is held; the account is tried again.
      LOG.warn("could not load account {}: {}", accountId, e.getMessage());
      sleep(Duration.ofSeconds(1));
      schedule(accountId);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  @PreDestroy
  public void close() {
    running = false;
    thread.interrupt();
  }
}
