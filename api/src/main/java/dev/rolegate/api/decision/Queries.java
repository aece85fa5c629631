package dev.rolegate.api.decision;

import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import io.micronaut.http.HttpParameters;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
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
                Instant at = Instant.parse(v);
                // ISO-8601 takes years far past what a database timestamp holds.
                if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                  throw new ApiProblem(
                      ErrorCode.INVALID_PARAMETER,
                      "`" + name + "` must be between year 1 and year 9999, not `" + v + "`");
                }
                // The log keeps microseconds: a bound between two is moved up to the next, so
                // that a decision at D is after `from` (inclusive) and before `to` (exclusive)
                // exactly when D >= from and D < to as given.
                Instant micros = at.truncatedTo(ChronoUnit.MICROS);
                return micros.equals(at) ? at : micros.plus(1, ChronoUnit.MICROS);
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
    long n = asciiNumber(v.get(), 9).orElse(0);
    if (n >= 1 && n <= max) {
      return (int) n;
    }
    throw limitProblem(v.get(), max);
  }

  /**
   * The number {@code text} writes in ASCII digits alone, at most {@code maxDigits} of them; empty
   * for anything else, such as a sign or another script's digits (١, １), which Integer.parseInt and
   * Long.parseLong take, or a number past a long.
   */
  public static OptionalLong asciiNumber(String text, int maxDigits) {
    if (text.isEmpty()
        || text.length() > maxDigits
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static ApiProblem limitProblem(String value, int max) {
    return new ApiProblem(
        ErrorCode.INVALID_PARAMETER,
        "`limit` must be a whole number from 1 to " + max + ", not `" + value + "`");
  }

  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
}
