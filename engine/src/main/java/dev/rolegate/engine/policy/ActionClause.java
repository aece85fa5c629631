package dev.rolegate.engine.policy;

import java.util.List;

/** The {@code Action} or {@code NotAction} element of a statement. */
public sealed interface ActionClause {
  List<String> patterns();

  /** {@code Action}: the statement applies to actions matching any pattern. */
  record Listed(List<String> patterns) implements ActionClause {
    public Listed {
      patterns = List.copyOf(patterns);
    }
  }

  /** {@code NotAction}: the statement applies to actions matching none of the patterns. */
  record Excluded(List<String> patterns) implements ActionClause {
    public Excluded {
      patterns = List.copyOf(patterns);
    }
  }
}
