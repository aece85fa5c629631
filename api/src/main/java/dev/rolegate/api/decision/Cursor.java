package dev.rolegate.api.decision;

import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.persistence.audit.DecisionQuery.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of the history: the time (in microseconds) and id of a page's last decision,
 * base64url-encoded. Clients pass it back unchanged.
 */
final class Cursor {
  private Cursor() {}

  static String encode(Position p) {
    long micros = p.decidedAt().getEpochSecond() * 1_000_000L + p.decidedAt().getNano() / 1_000;
    String text = micros + "." + p.decisionId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static Position decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int dot = text.indexOf('.');
      long micros = Long.parseLong(text.substring(0, dot));
      UUID id = UUID.fromString(text.substring(dot + 1));
      return new Position(
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000),
          id);
    } catch (RuntimeException e) {
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER,
          "`cursor` is not a cursor this API returned; pass `nextCursor` unchanged");
    }
  }
}
