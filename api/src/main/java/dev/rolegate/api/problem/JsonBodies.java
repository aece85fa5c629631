package dev.rolegate.api.problem;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * The native API takes JSON bodies only, declared as such. Micronaut routes a body sent without a
 * Content-Type, or with one it cannot read ({@code garbage}), to a method that consumes JSON, where
 * it would be decided, logged or stored as if declared: refused here with 415 like any other type.
 * OPA's paths are left out: OPA reads any body as JSON, and so do they.
 */
@ServerFilter("/v1/**")
public class JsonBodies {
  @RequestFilter
  public void check(HttpRequest<?> request) {
    HttpMethod method = request.getMethod();
    if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      return;
    }
    String path = request.getPath();
    if (path.startsWith("/v1/data/") || path.startsWith("/v1/batch/")) {
      return;
    }
    boolean body =
        request.getContentLength() > 0
            || request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING);
    if (!body) {
      return; // the method says what is missing
    }
    String declared = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
    Optional<MediaType> type = parsed(request);
    if (type.isEmpty()
        || !type.get().getType().equalsIgnoreCase("application")
        || !type.get().getSubtype().equalsIgnoreCase("json")) {
      throw new ApiProblem(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          declared == null
              ? "send the body as application/json, with `Content-Type: application/json`"
              : "send the body as application/json, not `" + declared + "`");
    }
  }

  /** The request's type, as the server read it (once, for routing); empty when it is not one. */
  private static Optional<MediaType> parsed(HttpRequest<?> request) {
    try {
      return request.getContentType();
    } catch (IllegalArgumentException unreadable) {
      return Optional.empty();
    }
  }
}
