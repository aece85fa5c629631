package dev.rolegate.engine.eval;

import dev.rolegate.engine.condition.ConditionFailure;
import java.util.List;

/**
 * A statement whose action and resource matched the request but whose conditions did not all hold:
 * the closest a policy came to deciding, and why it did not.
 */
public record NearMiss(MatchedStatement statement, List<ConditionFailure> failedConditions) {
  public NearMiss {
    failedConditions = List.copyOf(failedConditions);
  }
}
