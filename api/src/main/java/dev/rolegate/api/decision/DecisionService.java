package dev.rolegate.api.decision;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.audit.AuditWriter;
import dev.rolegate.api.json.DecisionJson;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.server.NodeName;
import dev.rolegate.api.snapshot.ChangeFollower;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.api.snapshot.ResolvedPrincipal;
import dev.rolegate.api.snapshot.ResolvedRole;
import dev.rolegate.api.snapshot.StoreFinding;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.operation.RoleFacts;
import dev.rolegate.engine.parse.Problem;
import dev.rolegate.engine.request.Arn;
import dev.rolegate.engine.request.Principal;
import dev.rolegate.persistence.audit.DecisionRecord;
import dev.rolegate.persistence.store.AccountStore;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import dev.rolegate.persistence.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Decides one instance-profile request: takes the principal's compiled policies and the role from
 * the node's snapshots, asks the engine, hands the decision to the audit writer and returns the
 * answer. Neither step waits on the database once the principal is known to the node.
 */
@Singleton
public class DecisionService {
  /** How long a decision may wait for this node to apply a client's `minRevision`. */
  static final Duration MIN_REVISION_WAIT = Duration.ofSeconds(2);

  private final PolicySnapshots snapshots;
  private final ChangeFollower follower;
  private final AccountStore store;
  private final AuditWriter audit;
  private final String node;
  private final Clock clock;

  /** Decisions answered, by outcome: the meters are made once, not looked up per decision. */
  private final Map<Decision, Counter> answered = new EnumMap<>(Decision.class);

  /**
   * With metrics turned off ({@code micronaut.metrics.enabled=false}) there is no registry, and the
   * counts go to one of the service's own that nobody reads.
   */
  public DecisionService(
      PolicySnapshots snapshots,
      ChangeFollower follower,
      AccountStore store,
      AuditWriter audit,
      NodeName node,
      BeanProvider<MeterRegistry> registry) {
    this.snapshots = snapshots;
    this.follower = follower;
    this.store = store;
    this.audit = audit;
    this.node = node.name();
    this.clock = Clock.systemUTC();
    MeterRegistry meters = registry.isPresent() ? registry.get() : new SimpleMeterRegistry();
    for (Decision d : Decision.values()) {
      answered.put(
          d,
          Counter.builder("rolegate.decisions")
              .description("Decisions answered (and handed to the audit log), by outcome")
              .tag("decision", d.wireName())
              .register(meters));
    }
  }

  /**
   * A decision as answered and as recorded (the record holds the answer's text), and the future
   * that completes once the record is stored (at once when answers do not wait for the log): send
   * the answer only then.
   */
  public record Answer(
      InstanceProfileDecision decision, DecisionRecord record, CompletableFuture<Void> stored) {
    /**
     * Waits, on a thread that may block, until the record is stored; throws the problem when it
     * could not be.
     */
    public void awaitStored() {
      try {
        stored.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }

    /** The answer as a tree, for callers that embed it in a larger answer. */
    public ObjectNode json() {
      return StrictJson.parseObject(record.answer());
    }
  }

  /** Decides and records; may read the store and wait (for minRevision, a full audit queue). */
  public Answer decide(DecisionRequestBody body, String caller) {
    body.minRevision().ifPresent(r -> awaitRevision(r, body.at("minRevision")));
    return record(body, caller, resolve(body));
  }

  /**
   * Decides a batch, in order, and records each decision on its own. What may refuse the batch (a
   * `minRevision` not reached, the store unreachable for a principal or role this node does not
   * hold) happens before the first decision is made, so that a refused batch logs nothing.
   */
  public List<Answer> decideAll(List<DecisionRequestBody> bodies, String caller) {
    bodies.stream()
        .filter(b -> b.minRevision().isPresent())
        .max(Comparator.comparing(b -> b.minRevision().get()))
        .ifPresent(b -> awaitRevision(b.minRevision().get(), b.at("minRevision")));
    List<Inputs> inputs = bodies.stream().map(this::resolve).toList();
    List<Answer> answers = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      answers.add(record(bodies.get(i), caller, inputs.get(i)));
    }
    return answers;
  }

  /** The principal and the role a request names, as this node holds them or the store has them. */
  private record Inputs(ResolvedPrincipal principal, Optional<ResolvedRole> role) {}

  private Inputs resolve(DecisionRequestBody body) {
    Principal principal = body.principal();
    ResolvedPrincipal resolved = snapshots.principal(ref(principal), principal.arn());
    Optional<RoleRef> roleRef = body.roleArn().flatMap(DecisionService::roleRef);
    Optional<ResolvedRole> role = roleRef.map(snapshots::role);
    if (role.isPresent() && role.get().revision() != resolved.revision()) {
      // Resolved at two revisions: an answer is stamped with one, which both must hold at.
      PolicySnapshots.Together both =
          snapshots.together(ref(principal), principal.arn(), roleRef.get());
      return new Inputs(both.principal(), Optional.of(both.role()));
    }
    return new Inputs(resolved, role);
  }

  private Answer record(DecisionRequestBody body, String caller, Inputs inputs) {
    Computed computed = compute(body, caller, inputs.principal(), inputs.role());
    return answer(computed, audit.record(computed.record()));
  }

  /**
   * The answer, already recorded, when this node holds everything the request needs and the audit
   * queue takes the record at once: no database, no waiting, so it may run on the event loop. Empty
   * otherwise: then call {@link #decide}.
   */
  public Optional<Answer> decideWithoutWaiting(DecisionRequestBody body, String caller) {
    if (body.minRevision().isPresent() && snapshots.applied() < body.minRevision().get()) {
      return Optional.empty();
    }
    PrincipalRef principal = ref(body.principal());
    ResolvedPrincipal resolved;
    Optional<ResolvedRole> role = Optional.empty();
    if (body.roleArn().isPresent()) {
      Optional<PolicySnapshots.Together> both =
          roleRef(body.roleArn().get()).flatMap(r -> snapshots.held(principal, r));
      // Held at two revisions (an entry read from the store ahead of the node): see resolve.
      if (both.isEmpty() || both.get().role().revision() != both.get().principal().revision()) {
        return Optional.empty();
      }
      resolved = both.get().principal();
      role = Optional.of(both.get().role());
    } else {
      Optional<ResolvedPrincipal> held = snapshots.heldPrincipal(principal);
      if (held.isEmpty()) {
        return Optional.empty();
      }
      resolved = held.get();
    }
    Computed computed = compute(body, caller, resolved, role);
    return audit.offer(computed.record()).map(stored -> answer(computed, stored));
  }

  private Answer answer(Computed computed, CompletableFuture<Void> stored) {
    answered.get(computed.decision().decision()).increment();
    return new Answer(computed.decision(), computed.record(), stored);
  }

  /** A decision and its audit record, before the record is queued. */
  private record Computed(InstanceProfileDecision decision, DecisionRecord record) {}

  private Computed compute(
      DecisionRequestBody body,
      String caller,
      ResolvedPrincipal resolved,
      Optional<ResolvedRole> resolvedRole) {
    Principal principal = body.principal();
    List<StoreFinding> storeFindings = new ArrayList<>(resolved.findings());
    long revision = resolved.revision();
    Optional<RoleFacts> role = resolvedRole.flatMap(ResolvedRole::facts);
    if (resolvedRole.isPresent()) {
      revision = Math.max(revision, resolvedRole.get().revision());
    }
    if (body.roleArn().isPresent() && role.isEmpty()) {
      storeFindings.add(
          new StoreFinding(
              "role_unknown",
              "role `"
                  + body.roleArn().get()
                  + "` is not in the store, so its trust policy and instance profiles were not"
                  + " checked"));
    }
    InstanceProfileRequest request =
        new InstanceProfileRequest(
            principal, body.operation(), body.instanceArn(), body.roleArn(), body.context(), role);
    PrincipalPolicies policies =
        body.sessionPolicy().map(resolved.policies()::withSession).orElse(resolved.policies());
    InstanceProfileDecision decision = InstanceProfileAuthorizer.authorize(request, policies);

    // To the microsecond, as the log keeps it: the record, its spooled copy and the row agree.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    UUID id = DecisionIds.next(now);
    String answer =
        DecisionJson.answer(decision, new DecisionJson.Recorded(id, revision, storeFindings));
    DecisionRecord record =
        new DecisionRecord(
            id,
            now,
            caller,
            principal.arn(),
            body.operation().wireName(),
            body.instanceArn(),
            body.roleArn().orElse(null),
            decision.decision().wireName(),
            decision.allowed(),
            revision,
            body.text(),
            answer,
            node);
    return new Computed(decision, record);
  }

  /**
   * Read-your-writes: a client that wrote at revision N (on any node) may ask for a decision that
   * includes it. Waits briefly for this node to apply N, else refuses with 503.
   */
  void awaitRevision(long minRevision, String at) {
    if (!snapshots.await(minRevision, MIN_REVISION_WAIT)) {
      refuseUnwrittenRevision(minRevision, at);
      throw new ApiProblem(
          ErrorCode.REVISION_NOT_REACHED,
          "this node has applied revision "
              + snapshots.applied()
              + " and could not reach `minRevision` "
              + minRevision
              + " within "
              + MIN_REVISION_WAIT.toMillis()
              + " ms; retry shortly");
    }
  }

  /**
   * A write's revision is committed before it is returned, so a revision beyond the store's was
   * never returned by a write (a typo, or another deployment's): refused with 400, since retrying,
   * as a 503 invites, would never help. Asked only while the node follows the store's changes, so
   * that a database outage does not add a connection timeout to the 503 it gets.
   */
  private void refuseUnwrittenRevision(long minRevision, String at) {
    OptionalLong stored = storedRevision();
    if (stored.isPresent() && minRevision > stored.getAsLong()) {
      throw beyondTheStore(minRevision, stored.getAsLong(), at);
    }
  }

  /**
   * For each request of a batch, the problem of its `minRevision` if no write returned it, for
   * callers that answer it beside the requests that can be decided. The store is asked once, and
   * only when a request names a revision this node has not applied.
   */
  public List<Optional<ApiProblem>> unwrittenRevisions(List<DecisionRequestBody> bodies) {
    long applied = snapshots.applied();
    OptionalLong stored = OptionalLong.empty();
    boolean asked = false;
    List<Optional<ApiProblem>> out = new ArrayList<>(bodies.size());
    for (DecisionRequestBody body : bodies) {
      Optional<Long> ahead = body.minRevision().filter(r -> r > applied);
      if (ahead.isPresent() && !asked) {
        stored = storedRevision();
        asked = true;
      }
      out.add(
          ahead.isPresent() && stored.isPresent() && ahead.get() > stored.getAsLong()
              ? Optional.of(beyondTheStore(ahead.get(), stored.getAsLong(), body.at("minRevision")))
              : Optional.empty());
    }
    return out;
  }

  /**
   * The store's revision, asked only while the node follows the store's changes (so that a database
   * outage does not add a connection timeout); empty when it cannot be known.
   */
  private OptionalLong storedRevision() {
    if (!follower.connected()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(store.revision());
    } catch (StoreException e) {
      return OptionalLong.empty();
    }
  }

  private static ApiProblem beyondTheStore(long minRevision, long stored, String at) {
    return ApiProblem.invalid(
        ErrorCode.INVALID_REQUEST,
        List.of(
            new Problem(
                at,
                "`minRevision` "
                    + minRevision
                    + " is beyond the store's revision "
                    + stored
                    + ": no write has returned it; pass the revision a write returned")));
  }

  /** The store's key of the caller. */
  public static PrincipalRef ref(Principal principal) {
    return switch (principal) {
      case Principal.IamUser u -> PrincipalRef.user(u.accountId(), u.path(), u.name());
      case Principal.RoleSession s -> PrincipalRef.roleSession(s.accountId(), s.roleName());
    };
  }

  /** The store's key of the role an ARN names; empty when it names no role. */
  public static Optional<RoleRef> roleRef(String arn) {
    return Arn.parse(arn)
        .flatMap(
            a ->
                a.iamEntity("role")
                    .map(role -> new RoleRef(a.account(), role.path(), role.name())));
  }
}
