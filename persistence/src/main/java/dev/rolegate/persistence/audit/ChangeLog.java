package dev.rolegate.persistence.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.persistence.store.StoreFailure;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the change log that every write of the store appends to. */
@Singleton
public class ChangeLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcOperations jdbc;

  public ChangeLog(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Changes newest first, optionally of one account or entity, strictly before the entry id {@code
   * beforeId} (the cursor of the previous page).
   */
  @Transactional(readOnly = true)
  public List<ChangeRecord> list(
      Optional<String> accountId, Optional<String> entityArn, Optional<Long> beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, revision, changed_at, actor, account_id, entity_kind, entity_arn, change,"
                + " before::text, after::text FROM change_log WHERE true");
    List<Object> args = new ArrayList<>();
    accountId.ifPresent(
        a -> {
          sql.append(" AND account_id = ?");
          args.add(a);
        });
    entityArn.ifPresent(
        a -> {
          sql.append(" AND entity_arn = ?");
          args.add(a);
        });
    beforeId.ifPresent(
        id -> {
          sql.append(" AND id < ?");
          args.add(id);
        });
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(limit);
    try (PreparedStatement ps = jdbc.getConnection().prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<ChangeRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ChangeRecord(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  tree(rs.getString(9)),
                  tree(rs.getString(10))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreFailure("cannot read the change log", e);
    }
  }

  private static JsonNode tree(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a change log entry is unreadable", e);
    }
  }
}
