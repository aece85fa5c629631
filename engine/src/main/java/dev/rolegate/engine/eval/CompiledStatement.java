package dev.rolegate.engine.eval;

import dev.rolegate.engine.condition.CompiledCondition;
import dev.rolegate.engine.match.ArnPattern;
import dev.rolegate.engine.match.Glob;
import dev.rolegate.engine.match.PatternText;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.ResourceClause;
import dev.rolegate.engine.policy.Statement;
import dev.rolegate.engine.request.RequestContext;

/** A statement with its patterns and conditions compiled, ready to be matched many times. */
final class CompiledStatement {
  final int ordinal;
  final Statement statement;
  final MatchedStatement reference;
  final Glob[] actions;
  final boolean notAction;
  final ArnPattern[] resources;
  final boolean notResource;
  final CompiledCondition[] conditions;

  CompiledStatement(
      int ordinal, SourcedPolicy policy, Statement statement, Layer layer, int level) {
    this.ordinal = ordinal;
    this.statement = statement;
    this.reference =
        new MatchedStatement(
            policy.id(),
            policy.type(),
            policy.versionId(),
            layer,
            level,
            statement.index(),
            statement.sid(),
            statement.effect());
    PolicyLanguage language = policy.document().language();
    ActionClause action = statement.action();
    this.notAction = action instanceof ActionClause.Excluded;
    this.actions =
        action.patterns().stream()
            .map(p -> PatternText.compile(p, true, false, true).resolve(k -> null))
            .toArray(Glob[]::new);
    ResourceClause resource = statement.resource();
    this.notResource = resource instanceof ResourceClause.Excluded;
    this.resources =
        resource.patterns().stream()
            .map(p -> ArnPattern.compile(p, language.hasVariables()))
            .toArray(ArnPattern[]::new);
    this.conditions =
        statement.conditions().stream()
            .map((Condition c) -> CompiledCondition.compile(c, language))
            .toArray(CompiledCondition[]::new);
  }

  Effect effect() {
    return statement.effect();
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

  void collectUnresolvedResourceVariables(RequestContext context, java.util.List<String> out) {
    for (ArnPattern p : resources) {
      for (String key : p.unresolvedVariables(context)) {
        if (!out.contains(key)) {
          out.add(key);
        }
      }
    }
  }

  boolean resourceMatches(String resource, RequestContext context) {
    boolean any = false;
    for (ArnPattern p : resources) {
      if (p.matches(resource, context)) {
        any = true;
        break;
      }
    }
    return any != notResource;
  }
}
