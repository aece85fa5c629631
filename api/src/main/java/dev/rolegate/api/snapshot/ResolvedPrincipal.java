package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.PrincipalPolicies;
import java.util.ArrayList;
import java.util.List;

/**
 * A principal's policies compiled for the engine, what the store could not supply, and the revision
 * they were read at. {@code known} is false when the store does not hold the principal. {@code
 * groups} (names) and {@code managedPolicies} (ARNs, attached or boundary, known or not) are what
 * else it was built from: a write to one of them makes it stale. They hold the strings the store
 * gave, shared with every other principal built from the same read, and are compared ignoring case
 * as IAM compares names. The last {@code serviceControlFindings} findings are about the account's
 * SCP levels, which a change of them replaces ({@link #withServiceControl}).
 */
public record ResolvedPrincipal(
    boolean known,
    PrincipalPolicies policies,
    List<StoreFinding> findings,
    long revision,
    List<String> groups,
    List<String> managedPolicies,
    int serviceControlFindings) {
  public ResolvedPrincipal {
    findings = List.copyOf(findings);
    groups = List.copyOf(groups);
    managedPolicies = List.copyOf(managedPolicies);
  }

  boolean builtFromGroup(String name) {
    return groups.stream().anyMatch(name::equalsIgnoreCase);
  }

  boolean builtFromPolicy(String arn) {
    return managedPolicies.stream().anyMatch(arn::equalsIgnoreCase);
  }

  /** The same principal, answered as of a later revision that did not change it. */
  ResolvedPrincipal asOf(long newer) {
    return new ResolvedPrincipal(
        known, policies, findings, newer, groups, managedPolicies, serviceControlFindings);
  }

  /**
   * The same principal under the account's new SCP levels: its identity and boundary sets are kept,
   * and it stays as of the revision it was read at (an answer reports the node's revision when that
   * is later).
   */
  ResolvedPrincipal withServiceControl(Compiler.Levels levels) {
    List<StoreFinding> kept =
        new ArrayList<>(findings.subList(0, findings.size() - serviceControlFindings));
    kept.addAll(levels.findings());
    return new ResolvedPrincipal(
        known,
        policies.withServiceControlLevels(levels.sets()),
        kept,
        revision,
        groups,
        managedPolicies,
        levels.findings().size());
  }
}
