package dev.rolegate.engine.eval;

import dev.rolegate.engine.match.ArnPattern;
import dev.rolegate.engine.match.Glob;
import dev.rolegate.engine.match.PatternText;
import dev.rolegate.engine.match.ResourceMatcher;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.ResourceClause;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns compiled parts while sets are built: equal action patterns and lists of them, resource
 * patterns, resource lists and condition lists compile once and are shared. A part depends only on
 * its text and on whether the language has variables, so sharing changes no answer; it lets a check
 * decide each once, and lets a store that compiles thousands of policies (see {@link
 * PolicySet#of(List, Layer, int, SharedParts)}) hold each distinct pattern once instead of once per
 * statement. Safe for threads that compile sets in parallel; keep one only as long as the sets it
 * built are needed together, since it holds every part it ever made.
 */
public final class SharedParts {
  private record ResourceKey(List<String> patterns, boolean excluded, boolean variables) {}

  private record PatternKey(String text, boolean variables) {}

  private record ConditionKey(List<Condition> conditions, boolean variables) {}

  private final Map<String, Glob> actions = new ConcurrentHashMap<>();
  private final Map<ActionClause, Glob[]> actionClauses = new ConcurrentHashMap<>();
  private final Map<PatternKey, ArnPattern> patterns = new ConcurrentHashMap<>();
  private final Map<ResourceKey, ResourceMatcher> resources = new ConcurrentHashMap<>();
  private final Map<ConditionKey, ConditionGroup> conditions = new ConcurrentHashMap<>();

  /** An action pattern, matched in lower case. */
  private Glob action(String pattern) {
    return actions.computeIfAbsent(
        pattern, p -> PatternText.compile(p, true, false, true).resolve(null));
  }

  /**
   * The action patterns of a clause, compiled, in order; equal clauses share the array, which no
   * one writes.
   */
  Glob[] actions(ActionClause clause) {
    return actionClauses.computeIfAbsent(
        clause, c -> c.patterns().stream().map(this::action).toArray(Glob[]::new));
  }

  private ArnPattern resource(String text, boolean variables) {
    return patterns.computeIfAbsent(
        new PatternKey(text, variables), k -> ArnPattern.resource(k.text(), k.variables()));
  }

  ResourceMatcher resources(ResourceClause clause, PolicyLanguage language) {
    boolean excluded = clause instanceof ResourceClause.Excluded;
    boolean variables = language.hasVariables();
    return resources.computeIfAbsent(
        new ResourceKey(clause.patterns(), excluded, variables),
        k ->
            new ResourceMatcher(
                k.patterns().stream().map(p -> resource(p, k.variables())).toList(), k.excluded()));
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
