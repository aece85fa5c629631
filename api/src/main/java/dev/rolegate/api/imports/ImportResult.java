package dev.rolegate.api.imports;

import dev.rolegate.engine.parse.Problem;
import dev.rolegate.persistence.account.AccountState;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of an import: the account's state, or every problem that keeps it from being read.
 */
public sealed interface ImportResult {
  /**
   * The account as the input describes it. {@code unresolved} lists each reference to a managed
   * policy whose document the input did not hold; the state keeps such a policy as unknown.
   */
  record Read(AccountState state, List<UnresolvedReference> unresolved) implements ImportResult {
    public Read {
      Objects.requireNonNull(state, "state");
      unresolved = List.copyOf(unresolved);
    }
  }

  /** At least one problem; an import is all or nothing, so no partial state comes with them. */
  record Invalid(List<Problem> problems) implements ImportResult {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid import needs at least one problem");
      }
    }
  }
}
