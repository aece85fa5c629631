package dev.rolegate.api.decision;

import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import io.micronaut.http.HttpParameters;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/** Query parameters read strictly: unknown names and bad values are refused with their name. */
public final class Queries {
  private Queries() {}

  public static void allowOnly(HttpParameters params, Set<String> allowed) {
    for (String name : params.names()) {
      if (!allowed.contains(name)) {
        throw new ApiProblem(
            ErrorCode.INVALID_PARAMETER,
            "unknown query parameter `"
                + name
                + "`; expected "
                + allowed.stream()
                    .sorted()
                    .map(n -> "`" + n + "`")
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("none"));
      }
    }
  }

  public static Optional<String> single(HttpParameters params, String name) {
    var all = params.getAll(name);
    if (all.size() > 1) {
      throw new ApiProblem(ErrorCode.INVALID_PARAMETER, "give `" + name + "` once");
    }
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  public static Optional<Instant> instant(HttpParameters params, String name) {
    return single(params, name)
        .map(
            v -> {
              try {
                return Instant.parse(v);
              } catch (DateTimeParseException e) {
                throw new ApiProblem(
                    ErrorCode.INVALID_PARAMETER,
                    "`"
                        + name
                        + "` must be an ISO-8601 instant such as 2026-11-24T10:00:00Z, not `"
                        + v
                        + "`");
              }
            });
  }

  public static int limit(HttpParameters params, int defaultLimit, int max) {
    Optional<String> v = single(params, "limit");
    if (v.isEmpty()) {
      return defaultLimit;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiProblem(
        ErrorCode.INVALID_PARAMETER,
        "`limit` must be a whole number from 1 to " + max + ", not `" + v.get() + "`");
  }
}
