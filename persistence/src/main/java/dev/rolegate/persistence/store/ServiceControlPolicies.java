package dev.rolegate.persistence.store;

import static dev.rolegate.persistence.store.AccountStore.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SCP levels of an account (root first), replaced as a whole. Empty levels mean no organization
 * governs the account.
 */
@Singleton
public class ServiceControlPolicies {
  private final JdbcOperations jdbc;

  public ServiceControlPolicies(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** One SCP: a name (or its Organizations id) and its document. */
  public record Scp(String name, JsonNode document) {
    public Scp {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(document, "document");
    }
  }

  /** Replaces the account's levels (empty: none) and returns the revision of the write. */
  @Transactional
  public long put(
      String accountId, List<List<Scp>> levels, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.bumpRevision(c);
          Optional<Versioned<List<List<Scp>>>> before = read(c, accountId);
          precondition.check(
              "the SCP levels of account `" + accountId + "`",
              before.map(b -> OptionalLong.of(b.revision())).orElse(OptionalLong.empty()));
          EntityRows.ensureAccount(c, accountId, revision);
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM service_control_policy WHERE account_id = ?")) {
            ps.setString(1, accountId);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO service_control_policy (account_id, level, position, name, document)"
                      + " VALUES (?, ?, ?, ?, ?::jsonb)")) {
            for (int level = 0; level < levels.size(); level++) {
              for (int i = 0; i < levels.get(level).size(); i++) {
                Scp scp = levels.get(level).get(i);
                ps.setString(1, accountId);
                ps.setInt(2, level);
                ps.setInt(3, i);
                ps.setString(4, scp.name());
                ps.setString(5, EntityRows.json(scp.document()));
                ps.addBatch();
              }
            }
            ps.executeBatch();
          }
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE account SET scp_revision = ? WHERE account_id = ?")) {
            ps.setLong(1, revision);
            ps.setString(2, accountId);
            ps.executeUpdate();
          }
          ChangeRows.append(
              c,
              new ChangeRows.Change(
                  revision,
                  actor,
                  accountId,
                  ChangeFeed.Notice.SERVICE_CONTROL_POLICIES,
                  accountId,
                  before.isPresent() ? "updated" : "created",
                  before.map(b -> EntityRows.toTree(b.value())).orElse(null),
                  EntityRows.toTree(levels)));
          return revision;
        });
  }

  /** The account's levels with the revision of their last write; empty if never set. */
  @Transactional(readOnly = true)
  public Optional<Versioned<List<List<Scp>>>> get(String accountId) {
    return sql(() -> read(jdbc.getConnection(), accountId));
  }

  static Optional<Versioned<List<List<Scp>>>> read(Connection c, String accountId)
      throws SQLException {
    long revision;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT scp_revision FROM account WHERE account_id = ?")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        revision = rs.getLong(1);
        if (rs.wasNull()) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new Versioned<>(levels(c, accountId), revision));
  }

  /** The levels as stored, root first; empty when none. */
  static List<List<Scp>> levels(Connection c, String accountId) throws SQLException {
    List<List<Scp>> levels = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT level, name, document::text FROM service_control_policy"
                + " WHERE account_id = ? ORDER BY level, position")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int level = rs.getInt(1);
          while (levels.size() <= level) {
            levels.add(new ArrayList<>());
          }
          levels.get(level).add(new Scp(rs.getString(2), EntityRows.tree(rs.getString(3))));
        }
      }
    }
    return levels;
  }

  /** The levels as the engine's inputs take them: each SCP a stored policy, root first. */
  static List<List<StoredPolicy>> storedLevels(Connection c, String accountId) throws SQLException {
    List<List<StoredPolicy>> levels = new ArrayList<>();
    for (List<Scp> level : levels(c, accountId)) {
      List<StoredPolicy> policies = new ArrayList<>();
      for (Scp scp : level) {
        policies.add(
            new StoredPolicy(
                scp.name(), StoredPolicy.Source.SERVICE_CONTROL, Optional.empty(), scp.document()));
      }
      levels.add(policies);
    }
    return levels;
  }
}
