package dev.rolegate.engine.eval;

import dev.rolegate.engine.match.Glob;
import dev.rolegate.engine.match.ResourceMatcher;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.Statement;

/** A statement with its patterns and conditions compiled, ready to be matched many times. */
final class CompiledStatement {
  final int ordinal;

  /** What a check reports of it; it also carries the statement as parsed. */
  final MatchedStatement reference;

  /** Shared with the statements of the set that list the same actions: never written. */
  final Glob[] actions;

  final boolean notAction;

  final Effect effect;

  /** Shared with the statements of the set that list the same resources. */
  final ResourceMatcher resources;

  /** Shared with the statements of the set that have equal conditions. */
  final ConditionGroup conditions;

  CompiledStatement(
      int ordinal,
      SourcedPolicy policy,
      Statement statement,
      Layer layer,
      int level,
      SharedParts shared) {
    this.ordinal = ordinal;
    this.reference =
        new MatchedStatement(
            policy.id(),
            policy.type(),
            policy.versionId(),
            layer,
            level,
            statement.index(),
            statement.sid(),
            statement.effect(),
            statement);
    PolicyLanguage language = policy.document().language();
    ActionClause action = statement.action();
    this.notAction = action instanceof ActionClause.Excluded;
    this.effect = statement.effect();
    this.actions = shared.actions(action);
    this.resources = shared.resources(statement.resource(), language);
    this.conditions = shared.conditions(statement.conditions(), language);
  }

  /** The action in lower case. */
  boolean actionMatches(String lowerCaseAction) {
    boolean any = false;
    for (Glob g : actions) {
      if (g.matches(lowerCaseAction)) {
        any = true;
        break;
      }
    }
    return any != notAction;
  }
}
