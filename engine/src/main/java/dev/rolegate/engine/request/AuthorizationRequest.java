package dev.rolegate.engine.request;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One check: may the principal perform the action on the resource, in this context. The context
 * already holds the keys derived from the principal; build it with {@link #of}.
 */
public record AuthorizationRequest(
    Principal principal, String action, String resource, RequestContext context) {
  public AuthorizationRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(context, "context");
  }

  /** A request whose context is the principal's derived keys plus the caller's. */
  public static AuthorizationRequest of(
      Principal principal, String action, String resource, Map<String, List<String>> context) {
    return new AuthorizationRequest(
        principal, action, resource, RequestContext.forAction(action, principal, context));
  }
}
