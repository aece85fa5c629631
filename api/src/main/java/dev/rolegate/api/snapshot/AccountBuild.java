package dev.rolegate.api.snapshot;

import dev.rolegate.api.snapshot.Compiler.Compiled;
import dev.rolegate.engine.eval.Layer;
import dev.rolegate.engine.eval.PolicySet;
import dev.rolegate.engine.eval.SharedParts;
import dev.rolegate.engine.operation.RoleFacts;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PartPool;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.persistence.store.AccountContents;
import dev.rolegate.persistence.store.AccountContents.InlineText;
import dev.rolegate.persistence.store.AccountContents.ManagedPolicyRow;
import dev.rolegate.persistence.store.AccountContents.Owner;
import dev.rolegate.persistence.store.Arns;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import dev.rolegate.persistence.store.StoredPolicy.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Consumer;

/**
 * Compiles every principal and role of one account from its {@link AccountContents}: each managed
 * policy, group inline policy and SCP level once, shared by every principal it governs, so that the
 * memory and the time grow with the account's statements and not with principals times their
 * policies. The work is spread over the common fork-join pool, and starts while the account is
 * still being read. The result equals what reading each principal on its own gives ({@link
 * Compiler#principal(String, Optional, long)}).
 */
public final class AccountBuild {
  private final AccountContents account;
  private final long revision;
  private final Parts parts;
  private final Map<Long, Compiled> managed;
  private final Map<Long, Compiled> boundaries = new ConcurrentHashMap<>();
  private final Map<Long, List<Compiled>> groupInline = new ConcurrentHashMap<>();
  private final Compiler.Levels levels;

  /**
   * What a build holds: the account's principals and roles, keyed as decisions look them up, and
   * the number of statements compiled (each shared set counted once).
   */
  public record Built(
      long revision,
      Map<PrincipalRef, ResolvedPrincipal> principals,
      Map<RoleRef, ResolvedRole> roles,
      int statements) {}

  /**
   * The first part of a build, which starts while the account is still being read: each managed
   * policy is handed over as its row arrives and compiled on the common pool, so that compiling
   * overlaps the reading of the other tables.
   */
  static final class Parts implements Consumer<ManagedPolicyRow> {
    /** Rows per task: enough to outweigh a task's cost, few enough to spread over the pool. */
    private static final int BATCH = 200;

    /** Every distinct pattern and condition list of the account, compiled once. */
    final SharedParts shared = new SharedParts();

    /**
     * The account's parsed parts (clauses, Sids, condition lists) and their strings, each held once
     * (see {@link PartPool}). Across a large account most strings of its policies repeat ({@code
     * s3:GetObject}, {@code *}, a bucket's ARN): held once, they take a fraction of the memory.
     */
    private final PartPool pool = new PartPool();

    private final Map<Long, Compiled> managed = new ConcurrentHashMap<>();
    private final List<ForkJoinTask<?>> compiling = new ArrayList<>();
    private List<ManagedPolicyRow> batch = new ArrayList<>();

    /** Called by the reading thread, one row at a time. */
    @Override
    public void accept(ManagedPolicyRow m) {
      if (m.text().isPresent()) {
        batch.add(m);
        if (batch.size() == BATCH) {
          submit();
        }
      }
    }

    private void submit() {
      List<ManagedPolicyRow> rows = batch;
      batch = new ArrayList<>();
      compiling.add(
          ForkJoinPool.commonPool()
              .submit(() -> rows.forEach(m -> managed.put(m.id(), compile(m, Layer.IDENTITY)))));
    }

    /** Every managed policy handed over, compiled; waits for the pool to finish them. */
    Map<Long, Compiled> managed() {
      submit();
      compiling.forEach(ForkJoinTask::join);
      return managed;
    }

    /**
     * The tags with their keys and values from the account's pool. A decision to pass a role reads
     * the role's tags (they are keys of the PassRole context), and across a large account's roles
     * the same few keys and values repeat: held once, they are usually in the CPU's cache, and a
     * decision makes two fewer trips to memory.
     */
    Map<String, String> shared(Map<String, String> tags) {
      Map<String, String> out = new HashMap<>(tags.size() * 2);
      tags.forEach((k, v) -> out.put(pool.shared(k), pool.shared(v)));
      return out;
    }

    Compiled compile(ManagedPolicyRow m, Layer layer) {
      return Compiler.compile(
          m.arn(),
          m.awsManaged() ? Source.AWS_MANAGED : Source.CUSTOMER_MANAGED,
          m.versionId(),
          parse(m.text().get(), Compiler.kind(layer)),
          layer,
          shared);
    }

    ParseResult parse(String text, PolicyKind kind) {
      return PolicyParser.parseStored(text, kind, pool);
    }
  }

  private AccountBuild(AccountContents account, long revision, Parts parts) {
    this.account = account;
    this.revision = revision;
    this.parts = parts;
    this.managed = parts.managed();
    this.levels = Compiler.levels(account.serviceControlLevels(), parts.shared);
  }

  /**
   * Builds the account whose managed policies were handed to {@code parts} as they were read
   * ({@link dev.rolegate.persistence.store.DecisionInputsReader#account}).
   */
  static Built build(AccountContents account, long revision, Parts parts) {
    return new AccountBuild(account, revision, parts).build();
  }

  private Built build() {
    Set<Long> boundaryIds = new LinkedHashSet<>();
    account.users().forEach(u -> u.boundary().ifPresent(boundaryIds::add));
    account.roles().forEach(r -> r.boundary().ifPresent(boundaryIds::add));
    boundaryIds.parallelStream()
        .map(id -> account.managedPolicies().get(id))
        .filter(m -> m.text().isPresent())
        .forEach(m -> boundaries.put(m.id(), parts.compile(m, Layer.PERMISSIONS_BOUNDARY)));
    account.groups().values().parallelStream()
        .forEach(
            g ->
                groupInline.put(
                    g.id(), inline(g.inline(), "group/" + g.name() + "/", Source.GROUP_INLINE)));

    Map<PrincipalRef, ResolvedPrincipal> principals = new ConcurrentHashMap<>();
    account.users().parallelStream()
        .forEach(
            u ->
                principals.put(
                    PrincipalRef.user(account.accountId(), u.path(), u.name()), user(u)));
    Map<RoleRef, ResolvedRole> roles = new ConcurrentHashMap<>();
    account.roles().parallelStream()
        .forEach(
            r -> {
              principals.put(PrincipalRef.roleSession(account.accountId(), r.name()), role(r));
              roles.put(
                  new RoleRef(account.accountId(), r.path(), r.name()),
                  new ResolvedRole(Optional.of(roleFacts(r)), revision));
            });
    // Each compiled set once, however many principals share it.
    Set<PolicySet> sets = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ResolvedPrincipal p : principals.values()) {
      sets.addAll(p.policies().identity());
      p.policies().boundary().ifPresent(sets::add);
      sets.addAll(p.policies().serviceControlLevels());
    }
    int statements = sets.stream().mapToInt(PolicySet::size).sum();
    // The maps as built: the node's HeldEntries copies them once, into the maps it changes.
    return new Built(revision, principals, roles, statements);
  }

  private List<Compiled> inline(List<InlineText> inline, String idPrefix, Source source) {
    List<Compiled> out = new ArrayList<>(inline.size());
    for (InlineText p : inline) {
      out.add(
          Compiler.compile(
              idPrefix + p.name(),
              source,
              Optional.empty(),
              parts.parse(p.text(), PolicyKind.IDENTITY),
              Layer.IDENTITY,
              parts.shared));
    }
    return out;
  }

  /** A user's own policies, then each of its groups' in membership order. */
  private ResolvedPrincipal user(Owner u) {
    Identity identity = new Identity();
    identity.policies.addAll(inline(u.inline(), "user/" + u.name() + "/", Source.USER_INLINE));
    identity.attach(u.attached());
    for (long groupId : u.groups()) {
      identity.policies.addAll(groupInline.get(groupId));
      identity.attach(account.groups().get(groupId).attached());
      identity.groups.add(account.groups().get(groupId).name());
    }
    return principal(u, identity);
  }

  /** A role session's policies: the role's. */
  private ResolvedPrincipal role(Owner r) {
    Identity identity = new Identity();
    identity.policies.addAll(inline(r.inline(), "role/" + r.name() + "/", Source.ROLE_INLINE));
    identity.attach(r.attached());
    return principal(r, identity);
  }

  private ResolvedPrincipal principal(Owner owner, Identity identity) {
    Optional<Compiled> boundary = Optional.empty();
    Optional<String> unknownBoundary = Optional.empty();
    if (owner.boundary().isPresent()) {
      long id = owner.boundary().get();
      boundary = Optional.ofNullable(boundaries.get(id));
      if (boundary.isEmpty()) {
        unknownBoundary = Optional.of(account.managedPolicies().get(id).arn());
      }
    }
    return Compiler.principal(
        identity.policies,
        boundary,
        unknownBoundary,
        identity.unknown,
        levels,
        identity.groups,
        revision);
  }

  /** A principal's identity policies as they are collected; a policy attached twice counts once. */
  private final class Identity {
    final List<Compiled> policies = new ArrayList<>();
    final Set<Long> seen = new LinkedHashSet<>();
    final Set<String> unknown = new LinkedHashSet<>();
    final List<String> groups = new ArrayList<>();

    void attach(List<Long> attached) {
      for (long id : attached) {
        if (seen.add(id)) {
          Compiled c = managed.get(id);
          if (c != null) {
            policies.add(c);
          } else {
            unknown.add(account.managedPolicies().get(id).arn());
          }
        }
      }
    }
  }

  private RoleFacts roleFacts(Owner r) {
    AccountContents.RoleParts parts = r.role().orElseThrow();
    return Compiler.role(
        Arns.role(account.accountId(), r.path(), r.name()),
        this.parts.parse(parts.trustPolicy(), PolicyKind.TRUST),
        parts.instanceProfileArns(),
        this.parts.shared(parts.tags()));
  }
}
