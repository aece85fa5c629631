package dev.rolegate.api.auth;

import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Every /v1 request needs {@code Authorization: Bearer TOKEN} with the scope its path needs:
 * decisions and simulation {@code decide}, history reads {@code audit}, the node's status any,
 * everything else {@code admin}. 401 without a valid token, 403 with a token that lacks the scope.
 */
@ServerFilter("/v1/**")
public class AuthFilter {
  private final Tokens tokens;
  private final ExecutorService blocking;

  public AuthFilter(Tokens tokens, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.tokens = tokens;
    this.blocking = blocking;
  }

  /**
   * Runs on the event loop when the token is known without the database (the bootstrap token, a
   * token looked up recently); otherwise looks it up on the blocking pool. Goes on with the request
   * (as the result, not null: Micronaut 4.10 answers 503 to an asynchronous null) or fails with the
   * problem, which the problem handlers answer.
   */
  @RequestFilter
  public CompletableFuture<HttpRequest<?>> authenticate(HttpRequest<?> request) {
    Optional<String> header = request.getHeaders().getAuthorization();
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return CompletableFuture.failedFuture(unauthenticated("send `Authorization: Bearer TOKEN`"));
    }
    String token = header.get().substring(7).trim();
    if (token.isEmpty() || token.length() > 512) {
      return CompletableFuture.failedFuture(
          unauthenticated("the bearer token is empty or too long"));
    }
    Optional<Caller> known = tokens.fromMemory(token);
    if (known.isPresent()) {
      try {
        return CompletableFuture.completedFuture(admit(request, known));
      } catch (ApiProblem p) {
        return CompletableFuture.failedFuture(p);
      }
    }
    return CompletableFuture.supplyAsync(
        () -> admit(request, tokens.authenticate(token)), blocking);
  }

  /** The request, for a caller with the scope it needs; else the problem is thrown. */
  private static HttpRequest<?> admit(HttpRequest<?> request, Optional<Caller> caller) {
    if (caller.isEmpty()) {
      throw unauthenticated("the bearer token is not valid or was revoked");
    }
    Scope needed = scopeFor(request.getMethod(), request.getPath());
    if (needed != null && !caller.get().scopes().contains(needed)) {
      throw new ApiProblem(
          ErrorCode.FORBIDDEN,
          "token `" + caller.get().name() + "` lacks the `" + needed.wireName() + "` scope");
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    return request;
  }

  /** The scope a request needs; null when any valid token will do. */
  static Scope scopeFor(HttpMethod method, String path) {
    if (path.equals("/v1/status")) {
      return null;
    }
    if (path.startsWith("/v1/data/")
        || path.startsWith("/v1/batch/data/")
        || path.equals("/v1/simulate")) {
      return Scope.DECIDE;
    }
    if ((path.equals("/v1/decisions/instance-profile")
            || path.equals("/v1/decisions/instance-profile/batch"))
        && method == HttpMethod.POST) {
      return Scope.DECIDE;
    }
    if ((path.startsWith("/v1/decisions") || path.startsWith("/v1/changes"))
        && method == HttpMethod.GET) {
      return Scope.AUDIT;
    }
    return Scope.ADMIN;
  }

  private static ApiProblem unauthenticated(String message) {
    return new ApiProblem(ErrorCode.UNAUTHENTICATED, message);
  }
}
