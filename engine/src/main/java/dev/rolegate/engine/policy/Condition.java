package dev.rolegate.engine.policy;

import java.util.List;

/**
 * One key of one operator in a Condition block: {@code "StringLike": {"aws:SourceIp": [...]}} is
 * one Condition per key. The key keeps its spelling for messages; matching ignores its case.
 */
public record Condition(ConditionOperator operator, String key, List<String> values) {
  public Condition {
    values = List.copyOf(values);
  }
}
