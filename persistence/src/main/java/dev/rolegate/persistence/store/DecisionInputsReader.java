package dev.rolegate.persistence.store;

import static dev.rolegate.persistence.store.AccountStore.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.persistence.store.EntityRows.Owner;
import dev.rolegate.persistence.store.StoredPolicy.Source;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads what decisions need: a principal's policies or a role, each in one repeatable-read
 * transaction so that it and the revision it reports belong to the same state of the store.
 */
@Singleton
public class DecisionInputsReader {
  private final JdbcOperations jdbc;

  public DecisionInputsReader(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** The caller: an IAM user (by path and name) or a session of a role (by the role's name). */
  public record PrincipalRef(boolean isUser, String accountId, String path, String name) {
    public static PrincipalRef user(String accountId, String path, String name) {
      return new PrincipalRef(true, accountId, path, name);
    }

    public static PrincipalRef roleSession(String accountId, String roleName) {
      return new PrincipalRef(false, accountId, null, roleName);
    }
  }

  /** The role to pass, by account, path and name as its ARN gives them. */
  public record RoleRef(String accountId, String path, String name) {}

  /** What the store holds about one principal, with the revision it was read at. */
  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public Read<PrincipalState> principal(PrincipalRef principal) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.currentRevision(c);
          return new Read<>(
              revision, principal.isUser() ? user(c, principal) : roleSession(c, principal));
        });
  }

  /** What the store holds about one role, with the revision it was read at. */
  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public Read<RoleState> role(RoleRef role) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.currentRevision(c);
          return new Read<>(revision, role(c, role));
        });
  }

  /** A principal and a role read together, at one revision. */
  public record PrincipalAndRole(Optional<PrincipalState> principal, Optional<RoleState> role) {}

  /**
   * The caller and the role to pass, read in one transaction, so that both are as of the one
   * revision returned (two reads could straddle a write).
   */
  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public Read<PrincipalAndRole> principalAndRole(PrincipalRef principal, RoleRef role) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.currentRevision(c);
          Optional<PrincipalState> p =
              principal.isUser() ? user(c, principal) : roleSession(c, principal);
          return new Read<>(revision, Optional.of(new PrincipalAndRole(p, role(c, role))));
        });
  }

  /**
   * Everything an account holds that decisions need, for compiling all of its principals at once;
   * empty when the account is not stored. A few queries over the whole account, each streamed, so
   * the time grows with the account's size and not with its number of entities times a round trip.
   * Each managed policy is also handed to {@code onManagedPolicy} as soon as its row is read, so
   * that the caller can start compiling it while the other tables are read.
   */
  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public Read<AccountContents> account(
      String accountId, Consumer<AccountContents.ManagedPolicyRow> onManagedPolicy) {
    return inAccount(accountId, c -> AccountRead.read(c, accountId, onManagedPolicy));
  }

  /**
   * The SCP levels of an account (root first; none when no organization governs it), with the
   * revision they were read at; empty when the account is not stored.
   */
  @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
  public Read<List<List<StoredPolicy>>> serviceControlLevels(String accountId) {
    return inAccount(accountId, c -> ServiceControlPolicies.storedLevels(c, accountId));
  }

  /** Reads something of an account in the caller's transaction. */
  private interface AccountWork<T> {
    T read(Connection c) throws SQLException;
  }

  /**
   * What {@code work} reads of the account, with the revision it was read at; empty when the
   * account is not stored.
   */
  private <T> Read<T> inAccount(String accountId, AccountWork<T> work) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.currentRevision(c);
          if (!EntityRows.accountExists(c, accountId)) {
            return new Read<>(revision, Optional.empty());
          }
          return new Read<>(revision, Optional.of(work.read(c)));
        });
  }

  /** Every stored account's id. */
  @Transactional(readOnly = true)
  public List<String> accountIds() {
    return sql(
        () -> {
          try (PreparedStatement ps =
              jdbc.getConnection()
                  .prepareStatement("SELECT account_id FROM account ORDER BY account_id")) {
            return EntityRows.strings(ps);
          }
        });
  }

  /** A value read at a revision; empty when the store does not hold it. */
  public record Read<T>(long revision, Optional<T> value) {}

  /** The stored row of a user or role: its id, boundary policy id and name as IAM keeps it. */
  private record Head(long id, Optional<Long> boundary, String name) {}

  /** A user (whose ARN names its path too) or a role, by name compared case-insensitively. */
  private static Optional<Head> head(Connection c, String table, PrincipalRef p)
      throws SQLException {
    String sql =
        "SELECT id, boundary_policy_id, name FROM "
            + table
            + " WHERE account_id = ? AND lower(name) = lower(?)"
            + (p.isUser() ? " AND path = ?" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, p.accountId());
      ps.setString(2, p.name());
      if (p.isUser()) {
        ps.setString(3, p.path());
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long b = rs.getLong(2);
        Optional<Long> boundary = rs.wasNull() ? Optional.empty() : Optional.of(b);
        return Optional.of(new Head(rs.getLong(1), boundary, rs.getString(3)));
      }
    }
  }

  /** A user's own policies, then each of its groups' in membership order. */
  private static Optional<PrincipalState> user(Connection c, PrincipalRef p) throws SQLException {
    Optional<Head> user = head(c, "iam_user", p);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    Head u = user.get();
    Policies out = new Policies();
    out.inline(c, Owner.USER, u.id(), "user/" + u.name() + "/", Source.USER_INLINE);
    out.attached(c, Owner.USER, u.id());
    List<Head> groups = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT g.id, g.name FROM group_membership m JOIN iam_group g ON g.id = m.group_id"
                + " WHERE m.user_id = ? ORDER BY m.position")) {
      ps.setLong(1, u.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          groups.add(new Head(rs.getLong(1), Optional.empty(), rs.getString(2)));
        }
      }
    }
    for (Head g : groups) {
      out.inline(c, Owner.GROUP, g.id(), "group/" + g.name() + "/", Source.GROUP_INLINE);
      out.attached(c, Owner.GROUP, g.id());
    }
    return Optional.of(
        out.state(c, p.accountId(), u.boundary(), groups.stream().map(Head::name).toList()));
  }

  /** A role session's policies: the role's. */
  private static Optional<PrincipalState> roleSession(Connection c, PrincipalRef p)
      throws SQLException {
    Optional<Head> role = head(c, "iam_role", p);
    if (role.isEmpty()) {
      return Optional.empty();
    }
    Head r = role.get();
    Policies out = new Policies();
    out.inline(c, Owner.ROLE, r.id(), "role/" + r.name() + "/", Source.ROLE_INLINE);
    out.attached(c, Owner.ROLE, r.id());
    return Optional.of(out.state(c, p.accountId(), r.boundary(), List.of()));
  }

  private static Optional<RoleState> role(Connection c, RoleRef r) throws SQLException {
    long id;
    String arn;
    JsonNode trust;
    Map<String, String> tags;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, name, path, trust_policy::text, tags::text FROM iam_role"
                + " WHERE account_id = ? AND lower(name) = lower(?) AND path = ?")) {
      ps.setString(1, r.accountId());
      ps.setString(2, r.name());
      ps.setString(3, r.path());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        id = rs.getLong(1);
        arn = Arns.role(r.accountId(), rs.getString(3), rs.getString(2));
        trust = EntityRows.tree(rs.getString(4));
        tags = EntityRows.tags(rs.getString(5));
      }
    }
    List<String> profiles = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, path FROM instance_profile WHERE role_id = ? ORDER BY lower(name)")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          profiles.add(Arns.instanceProfile(r.accountId(), rs.getString(2), rs.getString(1)));
        }
      }
    }
    return Optional.of(new RoleState(arn, trust, profiles, tags));
  }

  /** Collects a principal's policies; a managed policy attached twice counts once. */
  private static final String MANAGED_COLUMNS =
      "SELECT p.arn, p.aws_managed, p.default_version_id, v.document::text";

  private static final String DEFAULT_VERSION =
      " LEFT JOIN managed_policy_version v"
          + " ON v.policy_id = p.id AND v.version_id = p.default_version_id";

  /** A managed policy row of {@link #MANAGED_COLUMNS}; empty when its document is unknown. */
  private static Optional<StoredPolicy> managed(ResultSet rs) throws SQLException {
    String document = rs.getString(4);
    if (document == null) {
      return Optional.empty();
    }
    Source source = rs.getBoolean(2) ? Source.AWS_MANAGED : Source.CUSTOMER_MANAGED;
    return Optional.of(
        new StoredPolicy(
            rs.getString(1), source, Optional.of(rs.getString(3)), EntityRows.tree(document)));
  }

  private static final class Policies {
    private final List<StoredPolicy> identity = new ArrayList<>();
    private final Set<String> seenManaged = new LinkedHashSet<>();
    private final Set<String> unknown = new LinkedHashSet<>();

    void inline(Connection c, Owner owner, long ownerId, String idPrefix, Source source)
        throws SQLException {
      for (var p : EntityRows.inlinePolicies(c, owner, ownerId)) {
        identity.add(new StoredPolicy(idPrefix + p.name(), source, Optional.empty(), p.document()));
      }
    }

    void attached(Connection c, Owner owner, long ownerId) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              MANAGED_COLUMNS
                  + " FROM policy_attachment a JOIN managed_policy p ON p.id = a.policy_id"
                  + DEFAULT_VERSION
                  + " WHERE a."
                  + owner.column
                  + " = ? ORDER BY a.position")) {
        ps.setLong(1, ownerId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String arn = rs.getString(1);
            if (seenManaged.add(arn)) {
              managed(rs).ifPresentOrElse(identity::add, () -> unknown.add(arn));
            }
          }
        }
      }
    }

    PrincipalState state(
        Connection c, String accountId, Optional<Long> boundaryId, List<String> groups)
        throws SQLException {
      Optional<StoredPolicy> boundary = Optional.empty();
      Optional<String> unknownBoundary = Optional.empty();
      if (boundaryId.isPresent()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                MANAGED_COLUMNS + " FROM managed_policy p" + DEFAULT_VERSION + " WHERE p.id = ?")) {
          ps.setLong(1, boundaryId.get());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            boundary = managed(rs);
            if (boundary.isEmpty()) {
              unknownBoundary = Optional.of(rs.getString(1));
            }
          }
        }
      }
      List<List<StoredPolicy>> levels = ServiceControlPolicies.storedLevels(c, accountId);
      return new PrincipalState(
          identity, boundary, levels, List.copyOf(unknown), unknownBoundary, groups);
    }
  }
}
