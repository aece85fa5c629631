package dev.rolegate.api.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.ProblemJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Optional;

/**
 * Every /v1 request needs {@code Authorization: Bearer TOKEN} with the scope its path needs:
 * decisions and simulation {@code decide}, history reads {@code audit}, the node's status any,
 * everything else {@code admin}. 401 without a valid token, 403 with a token that lacks the scope.
 */
@ServerFilter("/v1/**")
public class AuthFilter {
  private final Tokens tokens;

  public AuthFilter(Tokens tokens) {
    this.tokens = tokens;
  }

  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Nullable
  public HttpResponse<ObjectNode> authenticate(HttpRequest<?> request) {
    Optional<String> header = request.getHeaders().getAuthorization();
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return unauthenticated("send `Authorization: Bearer TOKEN`");
    }
    String token = header.get().substring(7).trim();
    if (token.isEmpty() || token.length() > 512) {
      return unauthenticated("the bearer token is empty or too long");
    }
    Optional<Caller> caller = tokens.authenticate(token);
    if (caller.isEmpty()) {
      return unauthenticated("the bearer token is not valid or was revoked");
    }
    Scope needed = scopeFor(request.getMethod(), request.getPath());
    if (needed != null && !caller.get().scopes().contains(needed)) {
      return ProblemJson.response(
          ErrorCode.FORBIDDEN,
          "token `" + caller.get().name() + "` lacks the `" + needed.wireName() + "` scope");
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    return null;
  }

  /** The scope a request needs; null when any valid token will do. */
  static Scope scopeFor(HttpMethod method, String path) {
    if (path.equals("/v1/status")) {
      return null;
    }
    if (path.startsWith("/v1/data/") || path.equals("/v1/simulate")) {
      return Scope.DECIDE;
    }
    if (path.equals("/v1/decisions/instance-profile") && method == HttpMethod.POST) {
      return Scope.DECIDE;
    }
    if ((path.startsWith("/v1/decisions") || path.startsWith("/v1/changes"))
        && method == HttpMethod.GET) {
      return Scope.AUDIT;
    }
    return Scope.ADMIN;
  }

  private static HttpResponse<ObjectNode> unauthenticated(String message) {
    return ProblemJson.response(ErrorCode.UNAUTHENTICATED, message)
        .header("WWW-Authenticate", "Bearer realm=\"rolegate\"");
  }
}
