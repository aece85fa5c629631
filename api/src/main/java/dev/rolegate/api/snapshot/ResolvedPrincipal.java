package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.PrincipalPolicies;
import java.util.ArrayList;
import java.util.List;

/**
 * A principal's policies compiled for the engine, what it was built from ({@link Sources}), and the
 * revision they were read at. {@code known} is false when the store does not hold the principal.
 */
public record ResolvedPrincipal(
    boolean known, PrincipalPolicies policies, Sources sources, long revision) {

  /**
   * What the store could not supply ({@code findings}), and what else the principal was built from:
   * {@code groups} (names) and {@code managedPolicies} (ARNs, attached or boundary, known or not);
   * a write to one of them makes it stale. They hold the strings the store gave, shared with every
   * other principal built from the same read, and are compared ignoring case as IAM compares names.
   * The last {@code serviceControlFindings} findings are about the account's SCP levels, which a
   * change of them replaces ({@link #withServiceControl}).
   *
   * <p>Kept apart from the principal so that a copy as of a later revision ({@link #asOf}), made
   * for every decision once the node has applied a write, takes them as one reference: it does not
   * read the lists, which in a large account are rarely in the CPU's cache.
   */
  public record Sources(
      List<StoreFinding> findings,
      List<String> groups,
      List<String> managedPolicies,
      int serviceControlFindings) {
    public Sources {
      findings = List.copyOf(findings);
      groups = List.copyOf(groups);
      managedPolicies = List.copyOf(managedPolicies);
    }
  }

  public List<StoreFinding> findings() {
    return sources.findings();
  }

  boolean builtFromGroup(String name) {
    return sources.groups().stream().anyMatch(name::equalsIgnoreCase);
  }

  boolean builtFromPolicy(String arn) {
    return sources.managedPolicies().stream().anyMatch(arn::equalsIgnoreCase);
  }

  /** The same principal, answered as of a later revision that did not change it. */
  ResolvedPrincipal asOf(long newer) {
    return new ResolvedPrincipal(known, policies, sources, newer);
  }

  /**
   * The same principal under the account's new SCP levels: its identity and boundary sets are kept,
   * and it stays as of the revision it was read at (an answer reports the node's revision when that
   * is later).
   */
  ResolvedPrincipal withServiceControl(Compiler.Levels levels) {
    List<StoreFinding> findings = sources.findings();
    List<StoreFinding> kept =
        new ArrayList<>(findings.subList(0, findings.size() - sources.serviceControlFindings()));
    kept.addAll(levels.findings());
    return new ResolvedPrincipal(
        known,
        policies.withServiceControlLevels(levels.sets()),
        new Sources(kept, sources.groups(), sources.managedPolicies(), levels.findings().size()),
        revision);
  }
}
