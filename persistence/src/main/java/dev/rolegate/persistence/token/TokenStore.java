package dev.rolegate.persistence.token;

import dev.rolegate.persistence.store.StoreFailure;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Stores API tokens by the hash of their value. */
@Singleton
public class TokenStore {
  /**
   * The channel a revocation notifies on commit (payload: the token's name), so that every node
   * forgets the tokens it trusted from memory.
   */
  public static final String REVOKED_CHANNEL = "rolegate_token_revoked";

  private final JdbcOperations jdbc;

  public TokenStore(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new token; false when the name is taken. */
  @Transactional
  public boolean create(String name, byte[] hash, Set<String> scopes, String createdBy) {
    try (PreparedStatement ps =
        jdbc.getConnection()
            .prepareStatement(
                "INSERT INTO api_token (name, token_hash, scopes, created_by) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING")) {
      ps.setString(1, name);
      ps.setBytes(2, hash);
      Array array = jdbc.getConnection().createArrayOf("text", scopes.stream().sorted().toArray());
      ps.setArray(3, array);
      ps.setString(4, createdBy);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreFailure("cannot store the token", e);
    }
  }

  /** The live (not revoked) token with that hash. */
  @Transactional(readOnly = true)
  public Optional<StoredToken> findByHash(byte[] hash) {
    try (PreparedStatement ps =
        jdbc.getConnection()
            .prepareStatement(
                "SELECT name, scopes, created_at, created_by FROM api_token"
                    + " WHERE token_hash = ? AND revoked_at IS NULL")) {
      ps.setBytes(1, hash);
      List<StoredToken> found = rows(ps);
      return found.stream().findFirst();
    } catch (SQLException e) {
      throw new StoreFailure("cannot read tokens", e);
    }
  }

  @Transactional(readOnly = true)
  public List<StoredToken> list() {
    try (PreparedStatement ps =
        jdbc.getConnection()
            .prepareStatement(
                "SELECT name, scopes, created_at, created_by FROM api_token"
                    + " WHERE revoked_at IS NULL ORDER BY name")) {
      return rows(ps);
    } catch (SQLException e) {
      throw new StoreFailure("cannot read tokens", e);
    }
  }

  /**
   * Revokes the named token, and tells every node on {@link #REVOKED_CHANNEL} once it commits;
   * false when there is no live token of that name.
   */
  @Transactional
  public boolean revoke(String name) {
    try (PreparedStatement ps =
            jdbc.getConnection()
                .prepareStatement(
                    "UPDATE api_token SET revoked_at = now() WHERE name = ? AND revoked_at IS NULL");
        PreparedStatement notify =
            jdbc.getConnection().prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, name);
      if (ps.executeUpdate() != 1) {
        return false;
      }
      notify.setString(1, REVOKED_CHANNEL);
      notify.setString(2, name);
      notify.execute();
      return true;
    } catch (SQLException e) {
      throw new StoreFailure("cannot revoke the token", e);
    }
  }

  private static List<StoredToken> rows(PreparedStatement ps) throws SQLException {
    List<StoredToken> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String[] scopes = (String[]) rs.getArray(2).getArray();
        out.add(
            new StoredToken(
                rs.getString(1), Set.of(scopes), rs.getTimestamp(3).toInstant(), rs.getString(4)));
      }
    }
    return out;
  }
}
