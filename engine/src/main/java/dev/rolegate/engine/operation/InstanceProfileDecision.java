package dev.rolegate.engine.operation;

import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.remedy.Remedy;
import java.util.List;
import java.util.Optional;

/**
 * The answer to an instance-profile request: allowed only if every check is allowed; the overall
 * decision is the most restrictive of the checks'. The remedy is present when the request was
 * denied.
 */
public record InstanceProfileDecision(
    boolean allowed,
    Decision decision,
    List<CheckResult> checks,
    List<Finding> findings,
    String explanation,
    Optional<Remedy> remedy) {
  public InstanceProfileDecision {
    checks = List.copyOf(checks);
    findings = List.copyOf(findings);
  }
}
