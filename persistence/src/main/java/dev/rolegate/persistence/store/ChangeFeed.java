package dev.rolegate.persistence.store;

import static dev.rolegate.persistence.store.AccountStore.sql;

import dev.rolegate.persistence.token.TokenStore;
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
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a node learns of writes made anywhere: a {@code LISTEN} connection that receives each changed
 * entity (revision, account, kind and ARN) as its write commits, and, for whatever a node missed
 * (it started late, its connection dropped), the changes the change log holds after a revision.
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

  /**
   * One entity changed by a write: the write's revision, the account, and the entity's kind and ARN
   * as the change log has them ({@code user}, {@code group}, {@code role}, {@code
   * instance-profile}, {@code policy}; {@code account} and {@code service-control-policies} with
   * the account id as ARN). A write may change several entities and notify each.
   */
  public record Notice(long revision, String accountId, String entityKind, String entityArn) {
    /** A change that names only its account: everything in the account may have changed. */
    public static Notice wholeAccount(long revision, String accountId) {
      return new Notice(revision, accountId, "account", accountId);
    }

    /** The notification's payload: fields separated by spaces, which neither ids nor ARNs hold. */
    String payload() {
      return revision + " " + accountId + " " + entityKind + " " + entityArn;
    }

    /** A payload without kind and ARN (an older node's) stands for the whole account. */
    static Notice parse(String payload) {
      String[] parts = payload.split(" ", 4);
      long revision = Long.parseLong(parts[0]);
      return parts.length == 4
          ? new Notice(revision, parts[1], parts[2], parts[3])
          : wholeAccount(revision, parts[1]);
    }
  }

  /**
   * The store's revision now, and every change after the revision asked about, in order (none when
   * asked about a negative revision: a node that never caught up).
   */
  public record CatchUp(long revision, List<Notice> changes) {}

  /** The changes a write made, as the change log has them; empty if none is logged at it. */
  @Transactional(readOnly = true)
  public List<Notice> at(long revision) {
    return sql(() -> changes(jdbc.getConnection(), revision - 1, revision));
  }

  private static List<Notice> changes(Connection c, long after, long upTo) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT revision, account_id, entity_kind, entity_arn FROM change_log"
                + " WHERE revision > ? AND revision <= ? ORDER BY revision, id")) {
      ps.setLong(1, after);
      ps.setLong(2, upTo);
      List<Notice> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Notice(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
      return out;
    }
  }

  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public CatchUp since(long revision) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long now = EntityRows.currentRevision(c);
          // A node that has not caught up once holds nothing that a change could make stale.
          return new CatchUp(now, revision < 0 ? List.of() : changes(c, revision, now));
        });
  }

  /** What one poll received: the entities changed, and whether any API token was revoked. */
  public record Received(List<Notice> changes, boolean tokensRevoked) {}

  /**
   * Opens a connection of its own that listens for writes and revocations; the caller closes it.
   */
  public Listener listen() throws SQLException {
    Connection c = dataSource.getConnection();
    try (Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("LISTEN " + CHANNEL);
      s.execute("LISTEN " + TokenStore.REVOKED_CHANNEL);
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

    /** What was notified since the last poll, waiting up to {@code millis} for the first. */
    public Received poll(int millis) throws SQLException {
      PGNotification[] received = pg.getNotifications(millis);
      List<Notice> out = new ArrayList<>();
      if (received == null) {
        // getNotifications does not notice a dead socket by itself: ask the server.
        try (Statement s = connection.createStatement();
            ResultSet rs = s.executeQuery("SELECT 1")) {
          rs.next();
        }
        return new Received(out, false);
      }
      boolean revoked = false;
      for (PGNotification n : received) {
        if (n.getName().equals(TokenStore.REVOKED_CHANNEL)) {
          revoked = true;
        } else {
          out.add(Notice.parse(n.getParameter()));
        }
      }
      return new Received(out, revoked);
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
