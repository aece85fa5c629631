package dev.rolegate.api.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token may do: change the store, ask for decisions, read the audit history. */
public enum Scope {
  ADMIN,
  DECIDE,
  AUDIT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> fromWireName(String name) {
    for (Scope s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
