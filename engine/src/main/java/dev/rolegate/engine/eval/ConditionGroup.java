package dev.rolegate.engine.eval;

import dev.rolegate.engine.condition.CompiledCondition;
import dev.rolegate.engine.condition.ConditionFailure;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.request.RequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditions of a statement, compiled once. Statements of a set with equal conditions share one
 * group (see {@link SharedParts}): generated and copied policies repeat the same conditions many
 * times, and a check evaluates each group once.
 */
final class ConditionGroup {
  static final ConditionGroup NONE = new ConditionGroup(List.of(), PolicyLanguage.UNSPECIFIED);

  private final CompiledCondition[] conditions;

  ConditionGroup(List<Condition> conditions, PolicyLanguage language) {
    this.conditions = new CompiledCondition[conditions.size()];
    for (int i = 0; i < this.conditions.length; i++) {
      this.conditions[i] = CompiledCondition.compile(conditions.get(i), language);
    }
  }

  boolean isEmpty() {
    return conditions.length == 0;
  }

  /**
   * Evaluates every condition, in order, and adds the keys each needs that the request lacks to
   * {@code missing} (each once). Null when all hold, else the failures, in condition order.
   */
  List<ConditionFailure> evaluate(RequestContext context, List<String> missing) {
    List<ConditionFailure> failures = null;
    for (CompiledCondition c : conditions) {
      c.collectMissingKeys(context, missing);
      ConditionFailure f = c.evaluate(context);
      if (f != null) {
        if (failures == null) {
          failures = new ArrayList<>(2);
        }
        failures.add(f);
      }
    }
    return failures == null ? null : List.copyOf(failures);
  }
}
