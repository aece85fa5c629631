package dev.rolegate.engine.policy;

import java.util.List;
import java.util.Optional;

/** A parsed, valid IAM policy document. */
public record PolicyDocument(
    PolicyLanguage language, Optional<String> id, List<Statement> statements) {
  public PolicyDocument {
    statements = List.copyOf(statements);
  }
}
