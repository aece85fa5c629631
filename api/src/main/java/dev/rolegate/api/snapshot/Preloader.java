package dev.rolegate.api.snapshot;

import dev.rolegate.api.server.Settings;
import dev.rolegate.api.snapshot.PolicySnapshots.Stale;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every account's principals and roles compiled on this node, on one background thread: it
 * loads each account whole ({@link PolicySnapshots#load}) once the node has caught up with the
 * store, and after a write reads again what the write made stale: the principals and roles it
 * touched, one by one, or the whole account when the write touched it all (an import; SCP levels
 * that could not be read again) or more than {@link #ONE_BY_ONE_AT_MOST} entries. Work is
 * coalesced: an account or entry waits in the queue at most once. Until an entry is read again, a
 * decision that needs it reads it from the store itself. Off with {@code
 * rolegate.snapshot.preload=false}.
 */
@Context
@Requires(property = "rolegate.snapshot.preload", notEquals = "false")
public class Preloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Preloader.class);

  /** Past this many entries, one read of the whole account is cheaper than one read per entry. */
  static final int ONE_BY_ONE_AT_MOST = 1_000;

  private final PolicySnapshots snapshots;
  private final Object lock = new Object();
  private final Set<String> accounts = new LinkedHashSet<>();
  private final Set<Object> entries = new LinkedHashSet<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * The accounts listed at start that are not loaded yet: null until they are listed. Once it is
   * empty the node holds the whole store (as of some revision) and is ready for decisions (see
   * {@link #firstRoundLeft}); later loads, after writes, do not make it unready again.
   */
  private volatile Set<String> firstRound;

  public Preloader(
      PolicySnapshots snapshots, @Value("${rolegate.snapshot.preload:true}") String preload) {
    // Only `false` keeps this bean out; anything else but `true` is a mistake to say.
    Settings.flag("ROLEGATE_SNAPSHOT_PRELOAD", preload);
    this.snapshots = snapshots;
    snapshots.onStale(this::stale);
    this.thread = Thread.ofPlatform().daemon().name("rolegate-preloader").start(this::run);
  }

  private void stale(Stale stale) {
    synchronized (lock) {
      if (stale.wholeAccount() || stale.entries().size() > ONE_BY_ONE_AT_MOST) {
        accounts.add(stale.accountId());
      } else if (!accounts.contains(stale.accountId())) {
        entries.addAll(stale.entries());
      }
      lock.notifyAll();
    }
  }

  private void run() {
    while (running) {
      try {
        if (snapshots.await(0, Duration.ofSeconds(5))) {
          List<String> listed = snapshots.accountIds();
          Set<String> left = ConcurrentHashMap.newKeySet();
          left.addAll(listed);
          firstRound = left;
          listed.forEach(a -> stale(new Stale(a, true, Set.of())));
          break;
        }
      } catch (RuntimeException e) {
        LOG.debug("cannot list accounts yet: {}", e.getMessage());
      }
      sleep(Duration.ofMillis(200));
    }
    while (running) {
      Object next;
      synchronized (lock) {
        while (accounts.isEmpty() && entries.isEmpty() && running) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (!running) {
          return;
        }
        next = accounts.isEmpty() ? take(entries) : take(accounts);
        if (next instanceof String accountId) {
          // The whole account is read now: its single entries need no read of their own.
          entries.removeIf(e -> accountOf(e).equals(accountId));
        }
      }
      try {
        switch (next) {
          case String accountId -> load(accountId);
          case PrincipalRef p -> snapshots.principal(p, arn(p));
          case RoleRef r -> snapshots.role(r);
          default -> throw new IllegalStateException("unexpected entry " + next);
        }
      } catch (RuntimeException e) {
        // The database is away: decisions go on from what is held; the work is tried again.
        LOG.warn("could not read {} again: {}", next, e.getMessage());
        sleep(Duration.ofSeconds(1));
        synchronized (lock) {
          if (next instanceof String accountId) {
            accounts.add(accountId);
          } else {
            entries.add(next);
          }
        }
      }
    }
  }

  /**
   * How many of the accounts listed at start are still to be loaded a first time; -1 while they are
   * not listed yet (the node has not caught up with the store, or cannot read it).
   */
  public int firstRoundLeft() {
    Set<String> left = firstRound;
    return left == null ? -1 : left.size();
  }

  private static <T> T take(Set<T> from) {
    Iterator<T> it = from.iterator();
    T next = it.next();
    it.remove();
    return next;
  }

  private static String accountOf(Object entry) {
    return entry instanceof PrincipalRef p ? p.accountId() : ((RoleRef) entry).accountId();
  }

  private static String arn(PrincipalRef p) {
    return p.isUser()
        ? "arn:aws:iam::" + p.accountId() + ":user" + p.path() + p.name()
        : "arn:aws:sts::" + p.accountId() + ":assumed-role/" + p.name() + "/preload";
  }

  private void load(String accountId) {
    long started = System.nanoTime();
    switch (snapshots.tryLoad(accountId)) {
      case PolicySnapshots.Load.Loaded l -> {
        LOG.info(
            "account {} loaded at revision {}: {} principals, {} statements in {} ms",
            accountId,
            l.built().revision(),
            l.built().principals().size(),
            l.built().statements(),
            (System.nanoTime() - started) / 1_000_000);
        firstRound.remove(accountId);
      }
      case PolicySnapshots.Load.NotStored n -> firstRound.remove(accountId);
      case PolicySnapshots.Load.Outdated o -> {
        // Writes came faster than the load could be checked against them: load it again shortly.
        LOG.info("account {} changed while it was loaded; loading it again", accountId);
        sleep(Duration.ofSeconds(1));
        stale(new Stale(accountId, true, Set.of()));
      }
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
