package dev.rolegate.api.decision;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decision ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by
 * time, and the time in an id tells the history lookup which partition holds the decision.
 */
public final class DecisionIds {
  private DecisionIds() {}

  public static UUID next(Instant at) {
    long millis = at.toEpochMilli();
    // Ids are unique, not secret: 74 random bits per millisecond need no cryptographic source.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  /** The millisecond an id was made at, if it is a UUIDv7. */
  public static Optional<Instant> time(UUID id) {
    if (id.version() != 7) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16));
  }

  /** Parses an id given in a URL; empty when it is not a UUID. */
  public static Optional<UUID> parse(String text) {
    if (text == null || text.length() != 36) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
