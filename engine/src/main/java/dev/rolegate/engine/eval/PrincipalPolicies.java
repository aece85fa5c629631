package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final Optional<PolicySet> boundary;
  private final List<PolicySet> serviceControlLevels;
  private final Optional<PolicySet> session;

  private PrincipalPolicies(
      List<PolicySet> identity,
      Optional<PolicySet> boundary,
      List<PolicySet> serviceControlLevels,
      Optional<PolicySet> session) {
    this.identity = List.copyOf(identity);
    this.boundary = boundary;
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
    return new PrincipalPolicies(
        identity,
        boundary,
        serviceControlLevels,
        Optional.of(PolicySet.of(List.of(sessionPolicy), Layer.SESSION, 0)));
  }

  /** Identity policies only: no boundary, no organization, no session. */
  public static PrincipalPolicies identityOnly(List<SourcedPolicy> identity) {
    return of(identity, Optional.empty(), List.of(), Optional.empty());
  }

  /** The identity layer's sets, in policy order. */
  public List<PolicySet> identity() {
    return identity;
  }

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
    return boundary;
  }

  public List<PolicySet> serviceControlLevels() {
    return serviceControlLevels;
  }

  public Optional<PolicySet> session() {
    return session;
  }

  /** The statement a reasoning entry points at. */
  public Optional<Statement> statement(MatchedStatement m) {
    return Optional.ofNullable(statements().get(new StatementKey(m)));
  }

  /** Where a statement sits: its layer and level, its policy's id, and its index there. */
  private record StatementKey(Layer layer, int level, String policyId, int index) {
    /** Only SCPs have levels: elsewhere the entry's level is not looked at. */
    StatementKey(MatchedStatement m) {
      this(
          m.layer(),
          m.layer() == Layer.SERVICE_CONTROL ? m.level() : 0,
          m.sourcePolicyId(),
          m.statementIndex());
    }
  }

  /**
   * Every statement by where it sits, built on first use: findings look up each PassRole match and
   * near miss, and a search through all policies per lookup would cost O(near misses × policies).
   * When two policies of a set share an id, the first keeps the place, as a search in policy order
   * would find it. Racing threads build equal maps, so the field needs no lock.
   */
  private volatile Map<StatementKey, Statement> statements;

  private Map<StatementKey, Statement> statements() {
    Map<StatementKey, Statement> m = statements;
    if (m == null) {
      Map<StatementKey, Statement> built = new HashMap<>();
      identity.forEach(set -> add(set, built));
      boundary.ifPresent(b -> add(b, built));
      serviceControlLevels.forEach(level -> add(level, built));
      session.ifPresent(s -> add(s, built));
      // Never changed after this point; the volatile write publishes it whole.
      m = built;
      statements = m;
    }
    return m;
  }

  private static void add(PolicySet set, Map<StatementKey, Statement> out) {
    for (SourcedPolicy p : set.policies()) {
      for (Statement s : p.document().statements()) {
        out.putIfAbsent(new StatementKey(set.layer(), set.level(), p.id(), s.index()), s);
      }
    }
  }
}
