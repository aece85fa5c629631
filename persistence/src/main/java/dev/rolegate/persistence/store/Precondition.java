package dev.rolegate.persistence.store;

import java.util.OptionalLong;

/**
 * What the caller expects of the entity before a write: nothing ({@link #NONE}), that it does not
 * exist yet (If-None-Match: *), that it exists (If-Match: *), or that it is unchanged since a
 * revision (If-Match: "N").
 */
public sealed interface Precondition {
  Precondition NONE = new None();

  record None() implements Precondition {}

  record MustNotExist() implements Precondition {}

  record MustExist() implements Precondition {}

  record UnchangedSince(long revision) implements Precondition {}

  /** Checks the precondition against the entity's current revision (empty when absent). */
  default void check(String what, OptionalLong current) {
    switch (this) {
      case None n -> {}
      case MustNotExist m -> {
        if (current.isPresent()) {
          throw new StoreException(StoreError.ALREADY_EXISTS, what + " exists already");
        }
      }
      case MustExist m -> {
        if (current.isEmpty()) {
          throw new StoreException(
              StoreError.PRECONDITION_FAILED,
              what + " does not exist, and If-Match asks that it does");
        }
      }
      case UnchangedSince u -> {
        if (current.isEmpty()) {
          throw new StoreException(StoreError.NOT_FOUND, what + " does not exist");
        }
        if (current.getAsLong() != u.revision()) {
          throw new StoreException(
              StoreError.PRECONDITION_FAILED,
              what
                  + " changed at revision "
                  + current.getAsLong()
                  + ", after the revision "
                  + u.revision()
                  + " that If-Match names: read it again and retry");
        }
      }
    }
  }
}
