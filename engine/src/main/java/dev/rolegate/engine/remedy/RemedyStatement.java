package dev.rolegate.engine.remedy;

import java.util.Map;

/**
 * One least-privilege Allow statement: one action on one resource, with the conditions the check
 * carries that narrow it further (for PassRole: {@code iam:PassedToService}). The condition maps
 * operator to key to value, as in a policy.
 */
public record RemedyStatement(
    String sid, String action, String resource, Map<String, Map<String, String>> condition) {
  public RemedyStatement {
    condition = Map.copyOf(condition);
  }
}
