package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.SharedParts;
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
import dev.rolegate.persistence.store.StoredPolicy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The node's compiled principals and roles, per account. An account is loaded whole ({@link #load}:
 * one read, each managed policy compiled once and shared, see {@link AccountBuild}), or a principal
 * is read on its own the first time a decision needs it; either way the entries answer from memory
 * until a write makes them stale. Each write names the entities it changed, and only the entries
 * built from them are dropped ({@link Staleness}; a change of SCP levels replaces that layer of
 * every principal in place): a write on this node says so at once ({@link #changed}); writes on
 * other nodes arrive as notifications ({@link #notified}) or, when some were missed, through a
 * catch-up from the change log ({@link #catchUp}). The {@link Preloader} is told what was dropped
 * and reads it again.
 *
 * <p>{@link #applied()} is the revision up to which this node has taken every write into account;
 * an answer built from an entry is correct as of that revision.
 */
@Singleton
public class PolicySnapshots {
  private final DecisionInputsReader reader;
  private final ChangeFeed feed;
  private final ConcurrentHashMap<String, AccountEntries> accounts = new ConcurrentHashMap<>();

  /** Per account, the writes this node learnt of lately. */
  private final ConcurrentHashMap<String, RecentChanges> recent = new ConcurrentHashMap<>();

  private final Object progress = new Object();

  /** Told what each write made stale, so that it can be read again. */
  private volatile Consumer<Stale> onStale = stale -> {};

  /** -1 until the follower first caught up: until then nothing is kept. */
  private volatile long applied = -1;

  /**
   * The revisions of this node's own writes, applied when they committed ({@link #changed}), each
   * marked once applied. Their notifications, which usually come later, then only advance the node:
   * applied again, they would drop the entries read again since, which include the write, and have
   * them read once more (for an import, the whole account). Forgotten once the node has applied a
   * later revision, since notifications come in revision order.
   */
  private final Set<Long> appliedAtOnce = ConcurrentHashMap.newKeySet();

  public PolicySnapshots(DecisionInputsReader reader, ChangeFeed feed) {
    this.reader = reader;
    this.feed = feed;
  }

  /**
   * What a node holds of one account. {@code levelsRead} is the revision at which the SCP levels
   * last swapped into its principals were read (or the load was read): see {@link
   * #swapServiceControl}.
   */
  private record AccountEntries(
      HeldEntries<PrincipalRef, ResolvedPrincipal> principals,
      HeldEntries<RoleRef, ResolvedRole> roles,
      AtomicLong levelsRead) {
    AccountEntries() {
      this(new HeldEntries<>(KeyText::of), new HeldEntries<>(KeyText::of), new AtomicLong(-1));
    }

    /**
     * Drops what the change makes stale; answers what was dropped or named by it, to be read again.
     * An entry read at or after the change's revision holds it already and stays: revisions follow
     * commit order, and a read sees every write up to its revision. That is the case of a write
     * made on another node whose notification comes after this node read what it wrote.
     */
    Set<Object> invalidate(Notice n) {
      long revision = n.revision();
      Set<Object> out = Staleness.named(n);
      out.removeIf(ref -> heldSince(ref, revision));
      principals.removeIf(
          (ref, p) -> p.revision() < revision && drop(Staleness.touches(n, ref, p), ref, out));
      roles.removeIf(
          (ref, r) -> r.revision() < revision && drop(Staleness.touches(n, ref), ref, out));
      return out;
    }

    private boolean heldSince(Object ref, long revision) {
      return switch (ref) {
        case PrincipalRef p -> {
          ResolvedPrincipal held = principals.get(p);
          yield held != null && held.revision() >= revision;
        }
        case RoleRef r -> {
          ResolvedRole held = roles.get(r);
          yield held != null && held.revision() >= revision;
        }
        default -> false;
      };
    }

    private static boolean drop(boolean touched, Object ref, Set<Object> dropped) {
      if (touched) {
        dropped.add(ref);
      }
      return touched;
    }
  }

  /**
   * What a write made stale on this node: the whole account, or these principals ({@link
   * PrincipalRef}) and roles ({@link RoleRef}).
   */
  public record Stale(String accountId, boolean wholeAccount, Set<Object> entries) {}

  /**
   * The writes to one account this node learnt of lately, so that an entry read at some revision
   * can be checked against every write after it. Bounded in number and in age, since a node may
   * serve thousands of accounts: an entry read before the oldest write kept cannot be checked, and
   * is not kept (a load of the account is then done again). A read is at most as old as a load of
   * the largest account takes, a few seconds, well within both bounds.
   */
  private static final class RecentChanges {
    private static final int KEPT = 1_000;
    private static final long KEPT_NANOS = Duration.ofMinutes(5).toNanos();

    private record Learnt(Notice notice, long atNanos) {}

    private final ArrayDeque<Learnt> changes = new ArrayDeque<>();
    private long forgottenUpTo = -1;

    synchronized void add(Notice n) {
      long now = System.nanoTime();
      changes.addLast(new Learnt(n, now));
      while (changes.size() > KEPT || now - changes.peekFirst().atNanos() > KEPT_NANOS) {
        forgottenUpTo = Math.max(forgottenUpTo, changes.removeFirst().notice().revision());
      }
    }

    /** The changes after the revision; empty when some of them may have been forgotten. */
    synchronized Optional<List<Notice>> after(long revision) {
      if (revision < forgottenUpTo) {
        return Optional.empty();
      }
      List<Notice> out = new ArrayList<>();
      for (Learnt l : changes) {
        if (l.notice().revision() > revision) {
          out.add(l.notice());
        }
      }
      return Optional.of(out);
    }
  }

  public long applied() {
    return applied;
  }

  void onStale(Consumer<Stale> listener) {
    this.onStale = listener;
  }

  /** The principal if this node holds it compiled; never reads the store. */
  public Optional<ResolvedPrincipal> heldPrincipal(PrincipalRef ref) {
    long appliedBefore = applied;
    return entries(ref.accountId(), appliedBefore)
        .map(e -> e.principals().get(ref))
        .map(p -> asOf(p, appliedBefore));
  }

  /** A held principal as of the node's revision, which it holds at unless it was read later. */
  private static ResolvedPrincipal asOf(ResolvedPrincipal p, long appliedBefore) {
    return p.revision() >= appliedBefore ? p : p.asOf(appliedBefore);
  }

  /** A held role as of the node's revision, which it holds at unless it was read later. */
  private static ResolvedRole asOf(ResolvedRole r, long appliedBefore) {
    return new ResolvedRole(r.facts(), Math.max(r.revision(), appliedBefore));
  }

  /** The role if this node holds it; never reads the store. */
  public Optional<ResolvedRole> heldRole(RoleRef ref) {
    long appliedBefore = applied;
    return entries(ref.accountId(), appliedBefore)
        .map(e -> e.roles().get(ref))
        .map(r -> asOf(r, appliedBefore));
  }

  /**
   * The caller and the role to pass if this node holds both, each as {@link #heldPrincipal} and
   * {@link #heldRole} would answer it as of one revision of the node; never reads the store. Looked
   * up side by side ({@link HeldEntries#getWith}), which in a large account takes less time than
   * one lookup after the other. Empty when either is not held.
   */
  public Optional<Together> held(PrincipalRef principal, RoleRef role) {
    if (!role.accountId().equals(principal.accountId())) {
      return heldPrincipal(principal).flatMap(p -> heldRole(role).map(r -> new Together(p, r)));
    }
    long appliedBefore = applied;
    Optional<AccountEntries> entries = entries(principal.accountId(), appliedBefore);
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    HeldEntries.Both<ResolvedPrincipal, ResolvedRole> both =
        entries.get().principals().getWith(principal, entries.get().roles(), role);
    ResolvedPrincipal p = both.first();
    ResolvedRole r = both.second();
    if (p == null || r == null) {
      return Optional.empty();
    }
    return Optional.of(new Together(asOf(p, appliedBefore), asOf(r, appliedBefore)));
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
          n -> Staleness.touches(n, ref, resolved),
          e -> e.principals().put(ref, resolved),
          // By revision, not by value: an SCP change may have replaced it with a copy meanwhile.
          e ->
              e.principals()
                  .computeIfPresent(
                      ref, (k, kept) -> kept.revision() == resolved.revision() ? null : kept));
    }
    return resolved;
  }

  /** A principal and a role to pass as of one revision. */
  public record Together(ResolvedPrincipal principal, ResolvedRole role) {}

  /**
   * The caller and the role to pass read together from the store, as of one revision. For a
   * decision whose principal and role this node resolved at two revisions (a write came between the
   * two, or one was read from the store ahead of the node): neither is known to hold at the other's
   * revision, and an answer stamped with either could name a write it does not reflect. Not kept:
   * this happens around writes, which make such entries stale anyway.
   */
  public Together together(PrincipalRef principal, String arn, RoleRef role) {
    Read<DecisionInputsReader.PrincipalAndRole> read = reader.principalAndRole(principal, role);
    DecisionInputsReader.PrincipalAndRole both = read.value().orElseThrow();
    return new Together(
        Compiler.principal(arn, both.principal(), read.revision()),
        new ResolvedRole(Compiler.role(both.role()), read.revision()));
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
          n -> Staleness.touches(n, ref),
          e -> e.roles().put(ref, resolved),
          e -> e.roles().remove(ref, resolved));
    }
    return resolved;
  }

  /**
   * A write committed on this node at {@code revision}: what it changed is stale from now on. The
   * change log says what it changed; if it cannot be read, the whole account counts as changed.
   */
  public void changed(long revision, String accountId) {
    List<Notice> changes;
    try {
      changes = feed.at(revision);
    } catch (RuntimeException e) {
      changes = List.of();
    }
    if (changes.isEmpty()) {
      changes = List.of(Notice.wholeAccount(revision, accountId));
    }
    changes.forEach(this::apply);
    // Only once applied: the write's notification may come while the change log is read above,
    // and one that found the revision marked would advance the node past it with the stale
    // entries still held, so that an answer could carry the write's revision without the write.
    // Unmarked, it applies the write itself first (once more, at worst).
    appliedAtOnce.add(revision);
  }

  /**
   * A write notified by the database. Notifications come in commit order, which is revision order;
   * one that skips a revision means some were lost, and the change log fills the gap.
   */
  public void notified(Notice notice) {
    if (!appliedAtOnce.contains(notice.revision())) {
      apply(notice);
    }
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
      c.changes().stream().filter(n -> !appliedAtOnce.contains(n.revision())).forEach(this::apply);
      if (applied < 0) {
        accounts.clear();
      }
      advance(c.revision());
    }
  }

  private void apply(Notice n) {
    recent.computeIfAbsent(n.accountId(), a -> new RecentChanges()).add(n);
    Stale stale;
    if (n.entityKind().equals(Notice.SERVICE_CONTROL_POLICIES)
        && swapServiceControl(n.accountId())) {
      stale = new Stale(n.accountId(), false, Set.of());
    } else if (Staleness.wholeAccount(n)) {
      accounts.remove(n.accountId());
      stale = new Stale(n.accountId(), true, Set.of());
    } else {
      AccountEntries entries = accounts.get(n.accountId());
      stale =
          new Stale(
              n.accountId(), false, entries == null ? Staleness.named(n) : entries.invalidate(n));
    }
    onStale.accept(stale);
  }

  /**
   * The account's SCP levels changed: every principal held of it takes the levels as they are now,
   * and keeps its identity and boundary sets, which the change did not touch. Roles to pass do not
   * depend on SCPs. False when the levels cannot be read: the whole account is then dropped, as for
   * any change that touches all of it.
   *
   * <p>A principal read before the change and kept while this runs is checked against the change
   * like any other, and dropped ({@link #keep}); so is a whole load read before it ({@link
   * #tryLoad} takes an SCP change as touching the whole account).
   */
  private boolean swapServiceControl(String accountId) {
    if (!accounts.containsKey(accountId)) {
      return true; // nothing held: nothing to read
    }
    Read<List<List<StoredPolicy>>> read;
    try {
      read = reader.serviceControlLevels(accountId);
    } catch (RuntimeException e) {
      return false;
    }
    return swapIn(accountId, read);
  }

  /**
   * Swaps levels read at some revision into the account's held principals; false when the account
   * is no longer stored. Package-private so that a test can hand it reads in any order.
   */
  boolean swapIn(String accountId, Read<List<List<StoredPolicy>>> read) {
    AccountEntries entries = accounts.get(accountId);
    if (entries == null) {
      return true;
    }
    if (read.value().isEmpty()) {
      return false;
    }
    Compiler.Levels levels = Compiler.levels(read.value().get(), new SharedParts());
    // Two changes applied at once (this node's own write on its request thread, another node's
    // notified on the follower's) must not leave the older levels last: swaps take turns, and a
    // read older than the levels swapped in already is not used.
    synchronized (entries) {
      if (read.revision() >= entries.levelsRead().get()) {
        entries.principals().replaceAll((ref, p) -> p.withServiceControl(levels));
        entries.levelsRead().set(read.revision());
      }
    }
    return true;
  }

  /**
   * Reads the whole account and compiles every principal and role it holds, replacing what this
   * node held of it; entries that writes made stale meanwhile are dropped again. Empty when the
   * account is not stored, or when the load cannot be checked against the writes made since its
   * read (the account was replaced, or too many writes came).
   */
  public Optional<AccountBuild.Built> load(String accountId) {
    return switch (tryLoad(accountId)) {
      case Load.Loaded l -> Optional.of(l.built());
      case Load.NotStored n -> Optional.empty();
      case Load.Outdated o -> Optional.empty();
    };
  }

  /** How a load ended: loaded, the account is not stored, or the load was outdated when done. */
  sealed interface Load {
    record Loaded(AccountBuild.Built built) implements Load {}

    record NotStored() implements Load {}

    record Outdated() implements Load {}
  }

  Load tryLoad(String accountId) {
    AccountBuild.Parts parts = new AccountBuild.Parts();
    Read<AccountContents> read = reader.account(accountId, parts);
    if (read.value().isEmpty()) {
      parts.managed();
      return new Load.NotStored();
    }
    if (applied < 0) {
      parts.managed();
      return new Load.Outdated();
    }
    AccountBuild.Built built = AccountBuild.build(read.value().get(), read.revision(), parts);
    AccountEntries entries =
        new AccountEntries(
            new HeldEntries<>(built.principals(), KeyText::of),
            new HeldEntries<>(built.roles(), KeyText::of),
            new AtomicLong(built.revision()));
    accounts.put(accountId, entries);
    // A write applied before the put found the old entries: check the new ones against it. One
    // applied after it finds these.
    Optional<List<Notice>> since = changesAfter(accountId, built.revision());
    if (since.isEmpty() || since.get().stream().anyMatch(Staleness::wholeAccount)) {
      accounts.remove(accountId, entries);
      return new Load.Outdated();
    }
    Set<Object> dropped = new LinkedHashSet<>();
    since.get().forEach(n -> dropped.addAll(entries.invalidate(n)));
    if (!dropped.isEmpty()) {
      onStale.accept(new Stale(accountId, false, dropped));
    }
    return new Load.Loaded(built);
  }

  private Optional<List<Notice>> changesAfter(String accountId, long revision) {
    RecentChanges r = recent.get(accountId);
    return r == null ? Optional.of(List.of()) : r.after(revision);
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
        appliedAtOnce.removeIf(r -> r < revision);
      }
      progress.notifyAll();
    }
  }

  /**
   * Keeps an entry read at {@code revision} unless a write after it is known to touch it; checked
   * again after the put, so that such a write arriving meanwhile removes it.
   */
  private void keep(
      String accountId,
      long revision,
      Predicate<Notice> touches,
      Consumer<AccountEntries> put,
      Consumer<AccountEntries> remove) {
    if (applied < 0 || !current(accountId, revision, touches)) {
      return;
    }
    AccountEntries entries = accounts.computeIfAbsent(accountId, a -> new AccountEntries());
    put.accept(entries);
    if (!current(accountId, revision, touches)) {
      remove.accept(entries);
    }
  }

  private boolean current(String accountId, long revision, Predicate<Notice> touches) {
    Optional<List<Notice>> since = changesAfter(accountId, revision);
    return since.isPresent() && since.get().stream().noneMatch(touches);
  }
}
