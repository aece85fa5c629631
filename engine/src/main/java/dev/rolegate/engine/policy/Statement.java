package dev.rolegate.engine.policy;

import java.util.List;
import java.util.Optional;

/** One statement of a policy document, at its 0-based position in the Statement list. */
public record Statement(
    int index,
    Optional<String> sid,
    Effect effect,
    ActionClause action,
    ResourceClause resource,
    Optional<PrincipalClause> principal,
    List<Condition> conditions) {
  public Statement {
    conditions = List.copyOf(conditions);
  }
}
