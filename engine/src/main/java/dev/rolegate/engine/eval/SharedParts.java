package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.ResourceClause;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns the compiled resource patterns and conditions of one set while it is built: equal
 * elements compile once and are shared. A matcher or group depends only on its text and on whether
 * the language has variables, so sharing changes no answer; it lets a check decide each once.
 */
final class SharedParts {
  private record ResourceKey(List<String> patterns, boolean excluded, boolean variables) {}

  private record ConditionKey(List<Condition> conditions, boolean variables) {}

  private final Map<ResourceKey, ResourceMatcher> resources = new HashMap<>();
  private final Map<ConditionKey, ConditionGroup> conditions = new HashMap<>();

  ResourceMatcher resources(ResourceClause clause, PolicyLanguage language) {
    boolean excluded = clause instanceof ResourceClause.Excluded;
    boolean variables = language.hasVariables();
    return resources.computeIfAbsent(
        new ResourceKey(clause.patterns(), excluded, variables),
        k -> new ResourceMatcher(k.patterns(), k.excluded(), k.variables()));
  }

  ConditionGroup conditions(List<Condition> list, PolicyLanguage language) {
    if (list.isEmpty()) {
      return ConditionGroup.NONE;
    }
    // CompiledCondition.compile reads only whether the language has variables.
    return conditions.computeIfAbsent(
        new ConditionKey(list, language.hasVariables()),
        k -> new ConditionGroup(k.conditions(), language));
  }
}
