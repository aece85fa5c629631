package dev.rolegate.engine.parse;

import dev.rolegate.engine.policy.PolicyDocument;
import java.util.List;

/** The outcome of parsing a policy: a document, or the problems that make it invalid. */
public sealed interface ParseResult {
  record Parsed(PolicyDocument document) implements ParseResult {}

  record Invalid(List<Problem> problems) implements ParseResult {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one problem");
      }
    }
  }
}
