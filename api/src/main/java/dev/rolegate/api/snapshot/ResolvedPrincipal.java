package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.PrincipalPolicies;
import java.util.List;

/**
 * A principal's policies compiled for the engine, what the store could not supply, and the revision
 * they were read at. {@code known} is false when the store does not hold the principal.
 */
public record ResolvedPrincipal(
    boolean known, PrincipalPolicies policies, List<StoreFinding> findings, long revision) {
  public ResolvedPrincipal {
    findings = List.copyOf(findings);
  }
}
