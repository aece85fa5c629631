package dev.rolegate.persistence.store;

/**
 * A refused write or a missing entity. The transaction it escapes from rolls back, so nothing of
 * the refused write is stored. The message is for a person and names user input in backticks.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final StoreError error;

  public StoreException(StoreError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public StoreError error() {
    return error;
  }
}
