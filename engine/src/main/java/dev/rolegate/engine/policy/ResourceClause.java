package dev.rolegate.engine.policy;

import java.util.List;

/** The {@code Resource} or {@code NotResource} element of a statement. */
public sealed interface ResourceClause {
  List<String> patterns();

  /** {@code Resource}: the statement applies to resources matching any pattern. */
  record Listed(List<String> patterns) implements ResourceClause {
    public Listed {
      patterns = List.copyOf(patterns);
    }
  }

  /** {@code NotResource}: the statement applies to resources matching none of the patterns. */
  record Excluded(List<String> patterns) implements ResourceClause {
    public Excluded {
      patterns = List.copyOf(patterns);
    }
  }
}
