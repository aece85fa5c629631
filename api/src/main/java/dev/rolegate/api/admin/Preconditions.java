package dev.rolegate.api.admin;

import dev.rolegate.api.decision.Queries;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.persistence.store.Precondition;
import io.micronaut.http.HttpRequest;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Conditional writes: {@code If-Match: "REVISION"} (the ETag a read returned) makes a write fail
 * with 412 when the entity changed since; {@code If-None-Match: *} makes a create fail when the
 * entity exists.
 */
final class Preconditions {
  private Preconditions() {}

  static Precondition of(HttpRequest<?> request) {
    Optional<String> ifMatch = request.getHeaders().findFirst("If-Match");
    Optional<String> ifNoneMatch = request.getHeaders().findFirst("If-None-Match");
    if (ifMatch.isPresent() && ifNoneMatch.isPresent()) {
      throw new ApiProblem(
          ErrorCode.INVALID_REQUEST, "send `If-Match` or `If-None-Match`, not both");
    }
    if (ifNoneMatch.isPresent()) {
      if (!ifNoneMatch.get().trim().equals("*")) {
        throw new ApiProblem(
            ErrorCode.INVALID_REQUEST, "`If-None-Match` accepts only `*` (create, do not replace)");
      }
      return new Precondition.MustNotExist();
    }
    if (ifMatch.isEmpty()) {
      return Precondition.NONE;
    }
    if (ifMatch.get().trim().equals("*")) {
      return new Precondition.MustExist();
    }
    String tag = ifMatch.get().trim();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    String inside =
        tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")
            ? tag.substring(1, tag.length() - 1)
            : "";
    // ASCII digits, as this API writes its ETags: as many as the header holds, within a long.
    OptionalLong revision = Queries.asciiNumber(inside, Integer.MAX_VALUE);
    if (revision.isPresent()) {
      return new Precondition.UnchangedSince(revision.getAsLong());
    }
    throw new ApiProblem(
        ErrorCode.INVALID_REQUEST,
        "`If-Match` must be an ETag this API returned, such as \"42\", not `"
            + ifMatch.get()
            + "`");
  }

  static String etag(long revision) {
    return "\"" + revision + "\"";
  }
}
