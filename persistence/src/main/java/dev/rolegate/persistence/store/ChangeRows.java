package dev.rolegate.persistence.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Appends to the change log, in the transaction of the write it describes, and notifies the other
 * nodes ({@code NOTIFY}, delivered on commit, in commit order) of the revision, account and entity.
 */
final class ChangeRows {
  private ChangeRows() {}

  /**
   * One entity written at a revision: {@code before} is null when created, {@code after} when
   * deleted.
   */
  record Change(
      long revision,
      String actor,
      String accountId,
      String entityKind,
      String entityArn,
      String change,
      JsonNode before,
      JsonNode after) {}

  static void append(Connection c, Change change) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_log (revision, actor, account_id, entity_kind, entity_arn, change,"
                + " before, after) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)")) {
      ps.setLong(1, change.revision());
      ps.setString(2, change.actor());
      ps.setString(3, change.accountId());
      ps.setString(4, change.entityKind());
      ps.setString(5, change.entityArn());
      ps.setString(6, change.change());
      ps.setString(7, change.before() == null ? null : EntityRows.json(change.before()));
      ps.setString(8, change.after() == null ? null : EntityRows.json(change.after()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, ChangeFeed.CHANNEL);
      ps.setString(
          2,
          ChangeFeed.Notice.of(
                  change.revision(),
                  change.accountId(),
                  change.entityKind(),
                  change.entityArn(),
                  change.before(),
                  change.after())
              .payload());
      ps.execute();
    }
  }
}
