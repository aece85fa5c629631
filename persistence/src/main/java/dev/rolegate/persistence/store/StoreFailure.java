package dev.rolegate.persistence.store;

import java.sql.SQLException;

/**
 * The database failed (not the caller's input): the API answers 503. Every store of this module
 * (entities, the decision and change logs, tokens) reports its SQL errors as this one exception.
 */
public final class StoreFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreFailure(SQLException cause) {
    this("the database failed", cause);
  }

  /** What could not be done, e.g. "cannot record decisions", and why. */
  public StoreFailure(String what, SQLException cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
