package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every policy that governs one principal, compiled: identity policies (for a user its own and its
 * groups'; for a role session the role's), the permissions boundary, the SCP levels (root first;
 * empty when no organization governs the account) and the session policy. Build once, decide many
 * times.
 */
public final class PrincipalPolicies {
  private final PolicySet identity;
  private final Optional<PolicySet> boundary;
  private final List<PolicySet> serviceControlLevels;
  private final Optional<PolicySet> session;

  private PrincipalPolicies(
      PolicySet identity,
      Optional<PolicySet> boundary,
      List<PolicySet> serviceControlLevels,
      Optional<PolicySet> session) {
    this.identity = identity;
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
        PolicySet.of(identity, Layer.IDENTITY, 0),
        boundary.map(b -> PolicySet.of(List.of(b), Layer.PERMISSIONS_BOUNDARY, 0)),
        levels,
        session.map(s -> PolicySet.of(List.of(s), Layer.SESSION, 0)));
  }

  /** Identity policies only: no boundary, no organization, no session. */
  public static PrincipalPolicies identityOnly(List<SourcedPolicy> identity) {
    return of(identity, Optional.empty(), List.of(), Optional.empty());
  }

  public PolicySet identity() {
    return identity;
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
    PolicySet set =
        switch (m.layer()) {
          case IDENTITY -> identity;
          case PERMISSIONS_BOUNDARY -> boundary.orElse(null);
          case SERVICE_CONTROL ->
              m.level() < serviceControlLevels.size() ? serviceControlLevels.get(m.level()) : null;
          case SESSION -> session.orElse(null);
        };
    if (set == null) {
      return Optional.empty();
    }
    for (SourcedPolicy p : set.policies()) {
      if (p.id().equals(m.sourcePolicyId())) {
        for (Statement s : p.document().statements()) {
          if (s.index() == m.statementIndex()) {
            return Optional.of(s);
          }
        }
      }
    }
    return Optional.empty();
  }
}
