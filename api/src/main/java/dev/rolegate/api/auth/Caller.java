package dev.rolegate.api.auth;

import io.micronaut.http.HttpRequest;
import java.util.Set;

/**
 * Who made a request: the token's name (the actor of writes, the caller of decisions) and scopes.
 */
public record Caller(String name, Set<Scope> scopes) {
  static final String ATTRIBUTE = "rolegate.caller";

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** The caller the filter admitted; every /v1 request has one. */
  public static Caller of(HttpRequest<?> request) {
    return request
        .getAttribute(ATTRIBUTE, Caller.class)
        .orElseThrow(() -> new IllegalStateException("no caller: the auth filter did not run"));
  }
}
