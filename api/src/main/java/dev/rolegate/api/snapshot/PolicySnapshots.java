package dev.rolegate.api.snapshot;

import dev.rolegate.persistence.store.AccountContents;
import dev.rolegate.persistence.store.ChangeFeed;
import dev.rolegate.persistence.store.ChangeFeed.CatchUp;
import dev.rolegate.persistence.store.ChangeFeed.Notice;
import dev.rolegate.persistence.store.DecisionInputsReader;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.Read;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import dev.rolegate.persistence.store.PrincipalState;
import dev.rolegate.persistence.store.RoleState;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's compiled principals and roles, per account. An entry is read from the store once and
 * then answers from memory until a write touches its account: a write on this node says so at once
 * ({@link #changed}); writes on other nodes arrive as notifications ({@link #notified}) or, when
 * some were missed, through a catch-up from the change log ({@link #catchUp}).
 *
 * <p>{@link #applied()} is the revision up to which this node has taken every write into account;
 * an answer built from an entry is correct as of that revision.
 *
 * <p>An account can also be loaded whole ({@link #load}): every principal and role compiled at once
 * from a single read, with each managed policy compiled once and shared ({@link AccountBuild}). The
 * {@link Preloader} does so at start and again after a write, so that decisions do not wait on the
 * database even for principals not asked about before.
 */
@Singleton
public class PolicySnapshots {
  private final DecisionInputsReader reader;
  private final ChangeFeed feed;
  private final ConcurrentHashMap<String, AccountEntries> accounts = new ConcurrentHashMap<>();

  /** Per account, the revision of the newest write known to have touched it. */
  private final ConcurrentHashMap<String, Long> lastChange = new ConcurrentHashMap<>();

  private final Object progress = new Object();

  /** Told the account of every write, so that it can be loaded again. */
  private volatile Consumer<String> onChange = accountId -> {};

  /** -1 until the follower first caught up: until then nothing is kept. */
  private volatile long applied = -1;

  public PolicySnapshots(DecisionInputsReader reader, ChangeFeed feed) {
    this.reader = reader;
    this.feed = feed;
  }

  private record AccountEntries(
      ConcurrentHashMap<PrincipalRef, ResolvedPrincipal> principals,
      ConcurrentHashMap<RoleRef, ResolvedRole> roles) {
    AccountEntries() {
      this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }
  }

  public long applied() {
    return applied;
  }

  /** The principal if this node holds it compiled; never reads the store. */
  public Optional<ResolvedPrincipal> heldPrincipal(PrincipalRef ref) {
    long appliedBefore = applied;
    return entries(ref.accountId(), appliedBefore)
        .map(e -> e.principals().get(ref))
        .map(p -> current(p, appliedBefore));
  }

  /** The role if this node holds it; never reads the store. */
  public Optional<ResolvedRole> heldRole(RoleRef ref) {
    long appliedBefore = applied;
    return entries(ref.accountId(), appliedBefore)
        .map(e -> e.roles().get(ref))
        .map(r -> new ResolvedRole(r.facts(), Math.max(r.revision(), appliedBefore)));
  }

  /** The account's kept entries; none until the follower first caught up. */
  private Optional<AccountEntries> entries(String accountId, long appliedBefore) {
    return appliedBefore < 0 ? Optional.empty() : Optional.ofNullable(accounts.get(accountId));
  }

  /** The principal, compiled; read from the store only when this node does not hold it. */
  public ResolvedPrincipal principal(PrincipalRef ref, String arn) {
    Optional<ResolvedPrincipal> held = heldPrincipal(ref);
    if (held.isPresent()) {
      return held.get();
    }
    Read<PrincipalState> read = reader.principal(ref);
    ResolvedPrincipal resolved = Compiler.principal(arn, read.value(), read.revision());
    if (resolved.known()) {
      keep(
          ref.accountId(),
          read.revision(),
          e -> e.principals().put(ref, resolved),
          e -> e.principals().remove(ref));
    }
    return resolved;
  }

  /** The role to pass, as the engine needs it. */
  public ResolvedRole role(RoleRef ref) {
    Optional<ResolvedRole> held = heldRole(ref);
    if (held.isPresent()) {
      return held.get();
    }
    Read<RoleState> read = reader.role(ref);
    ResolvedRole resolved = new ResolvedRole(Compiler.role(read.value()), read.revision());
    if (resolved.facts().isPresent()) {
      keep(
          ref.accountId(),
          read.revision(),
          e -> e.roles().put(ref, resolved),
          e -> e.roles().remove(ref));
    }
    return resolved;
  }

  /** A write committed on this node: the account's entries are stale from now on. */
  public void changed(long revision, String accountId) {
    lastChange.merge(accountId, revision, Math::max);
    accounts.remove(accountId);
    onChange.accept(accountId);
  }

  void onChange(Consumer<String> listener) {
    this.onChange = listener;
  }

  /**
   * Reads the whole account and compiles every principal and role it holds, replacing what this
   * node held of it, unless a newer write to it is known by then (the next load will do). Empty
   * when the account is not stored or the result was outdated before it could be kept.
   */
  public Optional<AccountBuild.Built> load(String accountId) {
    Read<AccountContents> read = reader.account(accountId);
    if (read.value().isEmpty()) {
      return Optional.empty();
    }
    AccountBuild.Built built = AccountBuild.build(read.value().get(), read.revision());
    if (applied < 0 || lastChange.getOrDefault(accountId, -1L) > built.revision()) {
      return Optional.empty();
    }
    AccountEntries entries =
        new AccountEntries(
            new ConcurrentHashMap<>(built.principals()), new ConcurrentHashMap<>(built.roles()));
    accounts.put(accountId, entries);
    // A write that arrived meanwhile found the old entries: these are stale too.
    if (lastChange.getOrDefault(accountId, -1L) > built.revision()) {
      accounts.remove(accountId, entries);
      return Optional.empty();
    }
    return Optional.of(built);
  }

  /** Every stored account's id. */
  List<String> accountIds() {
    return reader.accountIds();
  }

  /** How many accounts, principals and roles this node holds compiled now. */
  public record Held(int accounts, long principals, long roles) {}

  public Held held() {
    long principals = 0;
    long roles = 0;
    for (AccountEntries e : accounts.values()) {
      principals += e.principals().size();
      roles += e.roles().size();
    }
    return new Held(accounts.size(), principals, roles);
  }

  /**
   * A write notified by the database. Notifications come in commit order, which is revision order;
   * one that skips a revision means some were lost, and the change log fills the gap.
   */
  public void notified(Notice notice) {
    changed(notice.revision(), notice.accountId());
    if (notice.revision() == applied + 1) {
      advance(notice.revision());
    } else if (notice.revision() > applied) {
      catchUp();
    }
  }

  /** Takes every write after {@link #applied()} into account, reading the change log. */
  public void catchUp() {
    synchronized (progress) {
      CatchUp c = feed.since(applied);
      c.accounts().forEach(a -> changed(c.revision(), a));
      if (applied < 0) {
        accounts.clear();
      }
      advance(c.revision());
    }
  }

  /**
   * Waits until this node has applied {@code revision} (a client's own write, made on any node),
   * catching up from the store if notifications are late; false if it has not within the timeout.
   */
  public boolean await(long revision, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (applied >= revision) {
      return true;
    }
    try {
      catchUp();
    } catch (RuntimeException e) {
      return false;
    }
    synchronized (progress) {
      while (applied < revision) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void advance(long revision) {
    synchronized (progress) {
      if (revision > applied) {
        applied = revision;
      }
      progress.notifyAll();
    }
  }

  /**
   * Keeps an entry read at {@code revision} unless a write to its account is known to be newer;
   * checked again after the put, so that a write arriving meanwhile removes it.
   */
  private void keep(
      String accountId,
      long revision,
      Consumer<AccountEntries> put,
      Consumer<AccountEntries> remove) {
    if (applied < 0 || lastChange.getOrDefault(accountId, -1L) > revision) {
      return;
    }
    AccountEntries entries = accounts.computeIfAbsent(accountId, a -> new AccountEntries());
    put.accept(entries);
    if (lastChange.getOrDefault(accountId, -1L) > revision) {
      remove.accept(entries);
    }
  }

  private static ResolvedPrincipal current(ResolvedPrincipal p, long applied) {
    return p.revision() >= applied
        ? p
        : new ResolvedPrincipal(p.known(), p.policies(), p.findings(), applied);
  }
}
