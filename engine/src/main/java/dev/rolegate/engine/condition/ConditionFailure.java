package dev.rolegate.engine.condition;

import java.util.List;

/**
 * Why a condition did not hold: the operator, the key, the policy's values and the request's values
 * (null when the request did not carry the key).
 */
public record ConditionFailure(
    String operator, String key, List<String> policyValues, List<String> requestValues) {
  public ConditionFailure {
    policyValues = List.copyOf(policyValues);
    requestValues = requestValues == null ? null : List.copyOf(requestValues);
  }

  public boolean keyMissing() {
    return requestValues == null;
  }
}
