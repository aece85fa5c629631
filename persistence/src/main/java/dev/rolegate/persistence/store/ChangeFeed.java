package dev.rolegate.persistence.store;

import static dev.rolegate.persistence.store.AccountStore.sql;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
   * the account id as ARN). A write may change several entities and notify each. For an instance
   * profile, {@code roles} are the roles it was and is for, whose facts the change alters; empty
   * for other kinds.
   */
  public record Notice(
      long revision, String accountId, String entityKind, String entityArn, List<String> roles) {
    public static final String INSTANCE_PROFILE = "instance-profile";
    public static final String SERVICE_CONTROL_POLICIES = "service-control-policies";
    private static final String ROLES = "roles:";

    public Notice {
      roles = List.copyOf(roles);
    }

    public Notice(long revision, String accountId, String entityKind, String entityArn) {
      this(revision, accountId, entityKind, entityArn, List.of());
    }

    /** A change that names only its account: everything in the account may have changed. */
    public static Notice wholeAccount(long revision, String accountId) {
      return new Notice(revision, accountId, "account", accountId);
    }

    /**
     * The notice a change log entry stands for, given the entity before and after (either null); an
     * instance profile's names the roles in either.
     */
    static Notice of(
        long revision,
        String accountId,
        String entityKind,
        String entityArn,
        JsonNode before,
        JsonNode after) {
      if (!entityKind.equals(INSTANCE_PROFILE)) {
        return new Notice(revision, accountId, entityKind, entityArn);
      }
      Set<String> roles = new LinkedHashSet<>();
      for (JsonNode side : new JsonNode[] {before, after}) {
        if (side != null) {
          side.path("roleNames").forEach(r -> roles.add(r.asText()));
        }
      }
      return new Notice(revision, accountId, entityKind, entityArn, List.copyOf(roles));
    }

    /**
     * The notification's payload: fields separated by spaces, which neither ids, ARNs nor role
     * names hold; an instance profile's roles follow, separated by '/', which names do not hold.
     */
    String payload() {
      String fields = revision + " " + accountId + " " + entityKind + " " + entityArn;
      return entityKind.equals(INSTANCE_PROFILE)
          ? fields + " " + ROLES + String.join("/", roles)
          : fields;
    }

    /**
     * Reads a payload. One without kind and ARN, or an instance profile's without its roles (an
     * older node's), stands for the whole account.
     */
    static Notice parse(String payload) {
      String[] parts = payload.split(" ", 5);
      long revision = Long.parseLong(parts[0]);
      if (parts.length < 4) {
        return wholeAccount(revision, parts[1]);
      }
      if (!parts[2].equals(INSTANCE_PROFILE)) {
        return new Notice(revision, parts[1], parts[2], parts[3]);
      }
      if (parts.length < 5 || !parts[4].startsWith(ROLES)) {
        return wholeAccount(revision, parts[1]);
      }
      String names = parts[4].substring(ROLES.length());
      return new Notice(
          revision,
          parts[1],
          parts[2],
          parts[3],
          names.isEmpty() ? List.of() : List.of(names.split("/")));
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
            "SELECT revision, account_id, entity_kind, entity_arn,"
                + " CASE WHEN entity_kind = ? THEN before::text END,"
                + " CASE WHEN entity_kind = ? THEN after::text END"
                + " FROM change_log WHERE revision > ? AND revision <= ? ORDER BY revision, id")) {
      ps.setString(1, Notice.INSTANCE_PROFILE);
      ps.setString(2, Notice.INSTANCE_PROFILE);
      ps.setLong(3, after);
      ps.setLong(4, upTo);
      List<Notice> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              Notice.of(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5) == null ? null : EntityRows.tree(rs.getString(5)),
                  rs.getString(6) == null ? null : EntityRows.tree(rs.getString(6))));
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

    /**
     * Stops listening before the connection goes back to the pool: a pooled connection still
     * listening would collect every later notification in memory, unread, for as long as it lives
     * (the follower lets go of a healthy connection when a catch-up read fails, or at shutdown).
     */
    @Override
    public void close() {
      try {
        // At shutdown the pool may have closed it already: nothing to stop, nothing to log.
        if (!connection.isClosed()) {
          try (Statement s = connection.createStatement()) {
            s.execute("UNLISTEN *");
          }
        }
      } catch (SQLException e) {
        // The connection is broken; the pool drops it instead of taking it back.
      }
      try {
        connection.close();
      } catch (SQLException e) {
        // The connection is gone already; nothing to release.
      }
    }
  }
}
