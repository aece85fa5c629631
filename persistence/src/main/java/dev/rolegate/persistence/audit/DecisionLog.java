package dev.rolegate.persistence.audit;

import dev.rolegate.persistence.store.StoreFailure;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Writes and reads the decision log. */
@Singleton
public class DecisionLog {
  private static final String COLUMNS =
      "decision_id, decided_at, caller, principal, operation, instance_arn, role_arn, decision,"
          + " allowed, revision, request::text, answer::text, node";

  /** The columns a decision is stored in, in the order both writes send them. */
  private static final String STORED_COLUMNS =
      "decision_id, decided_at, caller, principal, operation, instance_arn, role_arn, decision,"
          + " allowed, revision, request, answer, node";

  /** The advisory lock key of partition maintenance ("rolegate" in ASCII). */
  private static final long PARTITION_LOCK = 0x726f6c6567617465L;

  private final JdbcOperations jdbc;

  public DecisionLog(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores decisions made since the last write, as one binary COPY. Only for records that cannot be
   * in the log yet: COPY has no way to skip a row the log holds, so a record that may have been
   * stored already (a batch whose commit was not confirmed, a spool's) goes through {@link
   * #appendIfAbsent}.
   */
  @Transactional
  public void append(List<DecisionRecord> records) {
    try {
      CopyIn copy =
          jdbc.getConnection()
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY decision_log (" + STORED_COLUMNS + ") FROM STDIN (FORMAT binary)");
      try {
        BinaryCopy rows = new BinaryCopy(copy);
        for (DecisionRecord r : records) {
          rows.row(13)
              .uuid(r.decisionId())
              .timestamp(r.decidedAt())
              .text(r.caller())
              .text(r.principal())
              .text(r.operation())
              .text(r.instanceArn())
              .text(r.roleArn())
              .text(r.decision())
              .bool(r.allowed())
              .int8(r.revision())
              .text(r.request())
              .text(r.answer())
              .text(r.node());
        }
        rows.finish();
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
    } catch (SQLException e) {
      throw new StoreFailure("cannot record decisions", e);
    }
  }

  /** Stores the decisions the log does not hold yet, and skips the others. */
  @Transactional
  public void appendIfAbsent(List<DecisionRecord> records) {
    try (PreparedStatement ps =
        jdbc.getConnection()
            .prepareStatement(
                "INSERT INTO decision_log ("
                    + STORED_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?::json, ?)"
                    + " ON CONFLICT DO NOTHING")) {
      for (DecisionRecord r : records) {
        ps.setObject(1, r.decisionId());
        ps.setTimestamp(2, Timestamp.from(r.decidedAt()));
        ps.setString(3, r.caller());
        ps.setString(4, r.principal());
        ps.setString(5, r.operation());
        ps.setString(6, r.instanceArn());
        ps.setString(7, r.roleArn());
        ps.setString(8, r.decision());
        ps.setBoolean(9, r.allowed());
        ps.setLong(10, r.revision());
        ps.setString(11, r.request());
        ps.setString(12, r.answer());
        ps.setString(13, r.node());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreFailure("cannot record decisions", e);
    }
  }

  /** One decision by id, searched in the partition its UUIDv7 time names. */
  @Transactional(readOnly = true)
  public Optional<DecisionRecord> find(UUID decisionId, Instant decidedAt) {
    try (PreparedStatement ps =
        jdbc.getConnection()
            .prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM decision_log WHERE decision_id = ?"
                    + " AND decided_at >= ? AND decided_at < ?")) {
      ps.setObject(1, decisionId);
      // The id holds milliseconds; decided_at may carry microseconds of the same millisecond.
      ps.setTimestamp(2, Timestamp.from(decidedAt));
      ps.setTimestamp(3, Timestamp.from(decidedAt.plusMillis(1)));
      List<DecisionRecord> found = rows(ps);
      return found.stream().findFirst();
    } catch (SQLException e) {
      throw new StoreFailure("cannot read the decision log", e);
    }
  }

  /** A page of decisions matching the query, newest first. */
  @Transactional(readOnly = true)
  public List<DecisionRecord> query(DecisionQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM decision_log WHERE true");
    List<Object> args = new ArrayList<>();
    q.principal().ifPresent(v -> filter(sql, args, " AND principal = ?", v));
    q.roleArn().ifPresent(v -> filter(sql, args, " AND role_arn = ?", v));
    q.instanceArn().ifPresent(v -> filter(sql, args, " AND instance_arn = ?", v));
    q.decision().ifPresent(v -> filter(sql, args, " AND decision = ?", v));
    q.from().ifPresent(v -> filter(sql, args, " AND decided_at >= ?", Timestamp.from(v)));
    q.to().ifPresent(v -> filter(sql, args, " AND decided_at < ?", Timestamp.from(v)));
    q.after()
        .ifPresent(
            p -> {
              sql.append(" AND (decided_at, decision_id) < (?, ?)");
              args.add(Timestamp.from(p.decidedAt()));
              args.add(p.decisionId());
            });
    sql.append(" ORDER BY decided_at DESC, decision_id DESC LIMIT ?");
    args.add(q.limit());
    try (PreparedStatement ps = jdbc.getConnection().prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      return rows(ps);
    } catch (SQLException e) {
      throw new StoreFailure("cannot read the decision log", e);
    }
  }

  /**
   * Creates the monthly partitions from {@code first} for {@code months} months, if missing. Rows
   * outside them land in the default partition, so a late run loses nothing.
   */
  @Transactional
  public void ensurePartitions(YearMonth first, int months) {
    Connection c = jdbc.getConnection();
    lockPartitions(c);
    for (int i = 0; i < months; i++) {
      YearMonth m = first.plusMonths(i);
      String table = "decision_log_" + MONTH.format(m);
      String sql =
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " PARTITION OF decision_log FOR VALUES FROM ('"
              + m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
              + "') TO ('"
              + m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
              + "')";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.execute();
      } catch (SQLException e) {
        throw new StoreFailure("cannot create partition " + table, e);
      }
    }
  }

  /**
   * Deletes the decisions older than {@code cutoff}, for a retention period: drops each monthly
   * partition whose month ended by then (the cheap way: no row is deleted one by one, no table
   * needs vacuuming), and deletes such rows from the default partition. A month is kept whole until
   * its last decision is past the cutoff. Answers the partitions dropped.
   */
  @Transactional
  public List<String> dropBefore(Instant cutoff) {
    Connection c = jdbc.getConnection();
    lockPartitions(c);
    List<String> dropped = new ArrayList<>();
    try (PreparedStatement timeout = c.prepareStatement("SET LOCAL lock_timeout = '10s'");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'decision_log'::regclass"
                    + " AND p.relname ~ '^decision_log_[0-9]{4}_[0-9]{2}$' ORDER BY p.relname")) {
      // Dropping a partition locks the whole log; rather than queue writes behind a long wait for
      // that lock, give up (the next daily run tries again).
      timeout.execute();
      List<String> partitions = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          partitions.add(rs.getString(1));
        }
      }
      for (String table : partitions) {
        YearMonth month = YearMonth.parse(table.substring("decision_log_".length()), MONTH);
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (!end.isAfter(cutoff)) {
          try (PreparedStatement drop = c.prepareStatement("DROP TABLE " + table)) {
            drop.execute();
          }
          dropped.add(table);
        }
      }
      try (PreparedStatement delete =
          c.prepareStatement("DELETE FROM decision_log_default WHERE decided_at < ?")) {
        delete.setTimestamp(1, Timestamp.from(cutoff));
        delete.execute();
      }
    } catch (SQLException e) {
      throw new StoreFailure("cannot drop the decisions before " + cutoff, e);
    }
    return dropped;
  }

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy'_'MM");

  /** Nodes doing maintenance together would race on the same tables: one lock orders them. */
  private static void lockPartitions(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      ps.setLong(1, PARTITION_LOCK);
      ps.execute();
    } catch (SQLException e) {
      throw new StoreFailure("cannot lock the partition maintenance", e);
    }
  }

  private static void filter(StringBuilder sql, List<Object> args, String clause, Object value) {
    sql.append(clause);
    args.add(value);
  }

  private static List<DecisionRecord> rows(PreparedStatement ps) throws SQLException {
    List<DecisionRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new DecisionRecord(
                rs.getObject(1, UUID.class),
                rs.getTimestamp(2).toInstant(),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getBoolean(9),
                rs.getLong(10),
                rs.getString(11),
                rs.getString(12),
                rs.getString(13)));
      }
    }
    return out;
  }
}
