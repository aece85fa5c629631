package dev.rolegate.persistence.audit;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Filters of the decision history, all optional and combined with AND; {@code after} is the
 * position of the last row of the previous page (newest first), from the page's cursor.
 */
public record DecisionQuery(
    Optional<String> principal,
    Optional<String> roleArn,
    Optional<String> instanceArn,
    Optional<String> decision,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<Position> after,
    int limit) {

  /** Where a page ended: the time and id of its last (oldest) row. */
  public record Position(Instant decidedAt, UUID decisionId) {}
}
