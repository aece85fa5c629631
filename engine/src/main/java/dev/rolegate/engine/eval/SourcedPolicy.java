package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.PolicyDocument;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy document with where it comes from: an id (the managed policy ARN, or a name for an
 * inline policy), a type, and the version used (managed policies: their default version only).
 */
public record SourcedPolicy(
    String id, PolicySourceType type, Optional<String> versionId, PolicyDocument document) {
  public SourcedPolicy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(document, "document");
  }

  public static SourcedPolicy of(String id, PolicySourceType type, PolicyDocument document) {
    return new SourcedPolicy(id, type, Optional.empty(), document);
  }
}
