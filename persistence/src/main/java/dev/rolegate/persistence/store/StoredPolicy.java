package dev.rolegate.persistence.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A policy that governs a principal, as stored: its id (the managed policy ARN, {@code
 * KIND/ENTITY/NAME} for an inline policy, the SCP's name), where it comes from, the version used
 * (managed policies: the default one) and the document.
 */
public record StoredPolicy(
    String id, Source source, Optional<String> versionId, JsonNode document) {

  /** Where a policy comes from. */
  public enum Source {
    USER_INLINE,
    GROUP_INLINE,
    ROLE_INLINE,
    AWS_MANAGED,
    CUSTOMER_MANAGED,
    SERVICE_CONTROL
  }
}
