package dev.rolegate.engine.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every policy that governs one principal, compiled: identity policies (for a user its own and its
 * groups'; for a role session the role's), the permissions boundary, the SCP levels (root first;
 * empty when no organization governs the account) and the session policy. Build once, decide many
 * times.
 *
 * <p>The identity layer is a list of compiled sets rather than one: a store that holds thousands of
 * principals compiles each managed policy once, as its own set, and every principal it is attached
 * to refers to that set (see {@link #compiled}). A check walks the sets in order, so the answer is
 * the same as for one set holding all their statements.
 */
public final class PrincipalPolicies {
  private final List<PolicySet> identity;

  /**
   * Null when there is none: held directly rather than in an {@link Optional}, since a check reads
   * it for every principal and one more object is one more trip to memory in a large store.
   */
  private final PolicySet boundary;

  private final List<PolicySet> serviceControlLevels;
  private final Optional<PolicySet> session;

  private PrincipalPolicies(
      List<PolicySet> identity,
      Optional<PolicySet> boundary,
      List<PolicySet> serviceControlLevels,
      Optional<PolicySet> session) {
    this.identity = List.copyOf(identity);
    this.boundary = boundary.orElse(null);
    this.serviceControlLevels = List.copyOf(serviceControlLevels);
    this.session = session;
  }

  public static PrincipalPolicies of(
      List<SourcedPolicy> identity,
      Optional<SourcedPolicy> boundary,
      List<List<SourcedPolicy>> serviceControlLevels,
      Optional<SourcedPolicy> session) {
    List<PolicySet> levels = new ArrayList<>();
    for (int i = 0; i < serviceControlLevels.size(); i++) {
      levels.add(PolicySet.of(serviceControlLevels.get(i), Layer.SERVICE_CONTROL, i));
    }
    return new PrincipalPolicies(
        List.of(PolicySet.of(identity, Layer.IDENTITY, 0)),
        boundary.map(b -> PolicySet.of(List.of(b), Layer.PERMISSIONS_BOUNDARY, 0)),
        levels,
        session.map(s -> PolicySet.of(List.of(s), Layer.SESSION, 0)));
  }

  /**
   * Policies from sets compiled beforehand, which may be shared with other principals. Each set
   * must have been compiled for the layer it is given as: the layer is part of what a reasoning
   * entry reports.
   */
  public static PrincipalPolicies compiled(
      List<PolicySet> identity,
      Optional<PolicySet> boundary,
      List<PolicySet> serviceControlLevels) {
    identity.forEach(s -> expect(s, Layer.IDENTITY, 0));
    boundary.ifPresent(s -> expect(s, Layer.PERMISSIONS_BOUNDARY, 0));
    for (int i = 0; i < serviceControlLevels.size(); i++) {
      expect(serviceControlLevels.get(i), Layer.SERVICE_CONTROL, i);
    }
    return new PrincipalPolicies(identity, boundary, serviceControlLevels, Optional.empty());
  }

  private static void expect(PolicySet set, Layer layer, int level) {
    if (set.layer() != layer || set.level() != level) {
      throw new IllegalArgumentException(
          "a set compiled for "
              + set.layer()
              + " level "
              + set.level()
              + " was given as "
              + layer
              + " level "
              + level);
    }
  }

  /**
   * The same policies with a session policy: the compiled identity, boundary and SCP sets are
   * shared, so a session policy given per request costs only its own compilation.
   */
  public PrincipalPolicies withSession(SourcedPolicy sessionPolicy) {
    PrincipalPolicies withSession =
        new PrincipalPolicies(
            identity,
            boundary(),
            serviceControlLevels,
            Optional.of(PolicySet.of(List.of(sessionPolicy), Layer.SESSION, 0)));
    // The identity sets are the same, and so are their candidates per action.
    withSession.identityByAction = identityByAction;
    return withSession;
  }

  /**
   * The same policies under other SCP levels (compiled as {@link #compiled} takes them): the
   * identity, boundary and session sets are shared, so a change of the account's SCPs costs each
   * principal only this object.
   */
  public PrincipalPolicies withServiceControlLevels(List<PolicySet> levels) {
    for (int i = 0; i < levels.size(); i++) {
      expect(levels.get(i), Layer.SERVICE_CONTROL, i);
    }
    PrincipalPolicies changed = new PrincipalPolicies(identity, boundary(), levels, session);
    changed.identityByAction = identityByAction;
    return changed;
  }

  /** Identity policies only: no boundary, no organization, no session. */
  public static PrincipalPolicies identityOnly(List<SourcedPolicy> identity) {
    return of(identity, Optional.empty(), List.of(), Optional.empty());
  }

  /** The identity layer's sets, in policy order. */
  public List<PolicySet> identity() {
    return identity;
  }

  /**
   * The identity statements whose action matches the action, across the layer's sets, in order. The
   * answers for the first few actions are kept with the principal: a store's principal is made of a
   * dozen shared sets, and one array per action asked about is read much faster than a dozen sets
   * whose data is rarely in the CPU's cache. Past {@link #FEW_ACTIONS} actions the answer is merged
   * again each time, so a principal's memory stays bounded.
   */
  Candidates identityMatching(String action) {
    // Read before the list of sets: for a principal of several sets the answer is here.
    Object[] few = identityByAction;
    for (int i = 0; i < few.length; i += 2) {
      if (action.equals(few[i])) {
        return (Candidates) few[i + 1];
      }
    }
    if (identity.size() == 1) {
      return identity.get(0).matching(action);
    }
    List<Candidates> parts = new ArrayList<>(identity.size());
    for (PolicySet set : identity) {
      parts.add(set.matching(action));
    }
    Candidates merged = Candidates.concat(parts);
    if (few.length < 2 * FEW_ACTIONS) {
      // Racing threads may each add an answer and one may be lost: it is merged again later.
      Object[] more = java.util.Arrays.copyOf(few, few.length + 2);
      more[few.length] = action;
      more[few.length + 1] = merged;
      identityByAction = more;
    }
    return merged;
  }

  private static final int FEW_ACTIONS = 8;

  /** Action and identity candidates in turn; replaced whole when one is added. */
  private volatile Object[] identityByAction = NO_ANSWERS;

  private static final Object[] NO_ANSWERS = new Object[0];

  /** The identity policies, in order, across the layer's sets. */
  public List<SourcedPolicy> identityPolicies() {
    List<SourcedPolicy> out = new ArrayList<>();
    identity.forEach(s -> out.addAll(s.policies()));
    return out;
  }

  /** The number of identity statements, across the layer's sets. */
  public int identityStatements() {
    int n = 0;
    for (PolicySet s : identity) {
      n += s.size();
    }
    return n;
  }

  public Optional<PolicySet> boundary() {
    return Optional.ofNullable(boundary);
  }

  /** The boundary, or null: for checks, which should not allocate. */
  PolicySet boundaryOrNull() {
    return boundary;
  }

  public List<PolicySet> serviceControlLevels() {
    return serviceControlLevels;
  }

  public Optional<PolicySet> session() {
    return session;
  }
}
