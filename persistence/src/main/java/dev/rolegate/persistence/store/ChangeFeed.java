package dev.rolegate.persistence.store;

import static dev.rolegate.persistence.store.AccountStore.sql;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a node learns of writes made anywhere: a {@code LISTEN} connection that receives each write's
 * revision and account as it commits, and, for whatever a node missed (it started late, its
 * connection dropped), the accounts the change log names after a revision.
 */
@Singleton
public class ChangeFeed {
  static final String CHANNEL = "rolegate_changes";

  private final JdbcOperations jdbc;
  private final DataSource dataSource;

  public ChangeFeed(JdbcOperations jdbc, DataSource dataSource, DataSourceResolver resolver) {
    this.jdbc = jdbc;
    this.dataSource = resolver.resolve(dataSource);
  }

  /** A write as notified: its revision and the account it changed. */
  public record Notice(long revision, String accountId) {}

  /** The store's revision now, and every account written after {@code revision}. */
  public record CatchUp(long revision, Set<String> accounts) {}

  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public CatchUp since(long revision) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long now = EntityRows.currentRevision(c);
          Set<String> accounts = new LinkedHashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT DISTINCT account_id FROM change_log WHERE revision > ? AND revision <= ?")) {
            ps.setLong(1, revision);
            ps.setLong(2, now);
            accounts.addAll(EntityRows.strings(ps));
          }
          return new CatchUp(now, accounts);
        });
  }

  /** Opens a connection of its own that listens for writes; the caller closes it. */
  public Listener listen() throws SQLException {
    Connection c = dataSource.getConnection();
    try (Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("LISTEN " + CHANNEL);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new Listener(c);
  }

  /** A listening connection. Not thread-safe: one thread polls it. */
  public static final class Listener implements AutoCloseable {
    private final Connection connection;
    private final PGConnection pg;

    Listener(Connection connection) throws SQLException {
      this.connection = connection;
      this.pg = connection.unwrap(PGConnection.class);
    }

    /** The writes notified since the last poll, waiting up to {@code millis} for the first. */
    public List<Notice> poll(int millis) throws SQLException {
      PGNotification[] received = pg.getNotifications(millis);
      List<Notice> out = new ArrayList<>();
      if (received == null) {
        // getNotifications does not notice a dead socket by itself: ask the server.
        try (Statement s = connection.createStatement();
            ResultSet rs = s.executeQuery("SELECT 1")) {
          rs.next();
        }
        return out;
      }
      for (PGNotification n : received) {
        String[] parts = n.getParameter().split(" ", 2);
        out.add(new Notice(Long.parseLong(parts[0]), parts[1]));
      }
      return out;
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        // The connection is gone already; nothing to release.
      }
    }
  }
}
