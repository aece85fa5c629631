package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.PrincipalPolicies;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A principal's policies compiled for the engine, what the store could not supply, and the revision
 * they were read at. {@code known} is false when the store does not hold the principal. {@code
 * groups} (names) and {@code managedPolicies} (ARNs, attached or boundary, known or not), both in
 * lower case, are what else it was built from: a write to one of them makes it stale.
 */
public record ResolvedPrincipal(
    boolean known,
    PrincipalPolicies policies,
    List<StoreFinding> findings,
    long revision,
    Set<String> groups,
    Set<String> managedPolicies) {
  public ResolvedPrincipal {
    findings = List.copyOf(findings);
    groups = lowerCase(groups);
    managedPolicies = lowerCase(managedPolicies);
  }

  /** The same principal, answered as of a later revision that did not change it. */
  ResolvedPrincipal asOf(long newer) {
    return new ResolvedPrincipal(known, policies, findings, newer, groups, managedPolicies);
  }

  private static Set<String> lowerCase(Set<String> names) {
    return names.stream()
        .map(n -> n.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }
}
