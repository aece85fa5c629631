package dev.rolegate.persistence.token;

import java.time.Instant;
import java.util.Set;

/** A token's record, without the token: who may do what with it. */
public record StoredToken(String name, Set<String> scopes, Instant createdAt, String createdBy) {
  public StoredToken {
    scopes = Set.copyOf(scopes);
  }
}
