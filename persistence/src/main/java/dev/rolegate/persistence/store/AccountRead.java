package dev.rolegate.persistence.store;

import dev.rolegate.persistence.store.AccountContents.InlineText;
import dev.rolegate.persistence.store.AccountContents.ManagedPolicyRow;
import dev.rolegate.persistence.store.AccountContents.Owner;
import dev.rolegate.persistence.store.AccountContents.RoleParts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a whole account into {@link AccountContents}: one query per table, each ordered so that
 * every owner's lists come out in the order of a single principal's read. Runs inside the caller's
 * repeatable-read transaction.
 */
final class AccountRead {
  /** Rows fetched per round trip: a large account streams instead of arriving whole. */
  private static final int FETCH = 5_000;

  private final Connection c;
  private final String accountId;
  private final Consumer<ManagedPolicyRow> onManagedPolicy;
  private final Map<Long, Building> users = new LinkedHashMap<>();
  private final Map<Long, Building> groups = new LinkedHashMap<>();
  private final Map<Long, Building> roles = new LinkedHashMap<>();

  private AccountRead(Connection c, String accountId, Consumer<ManagedPolicyRow> onManagedPolicy) {
    this.c = c;
    this.accountId = accountId;
    this.onManagedPolicy = onManagedPolicy;
  }

  /** An owner while its rows arrive. */
  private static final class Building {
    final long id;
    final String name;
    final String path;
    final Optional<Long> boundary;
    final List<InlineText> inline = new ArrayList<>(0);
    final List<Long> attached = new ArrayList<>(0);
    final List<Long> groups = new ArrayList<>(0);
    final List<String> profiles = new ArrayList<>(0);
    String trust;
    Map<String, String> tags;

    Building(long id, String name, String path, Optional<Long> boundary) {
      this.id = id;
      this.name = name;
      this.path = path;
      this.boundary = boundary;
    }

    Owner owner(boolean isRole) {
      return new Owner(
          id,
          name,
          path,
          boundary,
          List.copyOf(inline),
          List.copyOf(attached),
          List.copyOf(groups),
          isRole
              ? Optional.of(new RoleParts(trust, tags, List.copyOf(profiles)))
              : Optional.empty());
    }
  }

  static AccountContents read(
      Connection c, String accountId, Consumer<ManagedPolicyRow> onManagedPolicy)
      throws SQLException {
    return new AccountRead(c, accountId, onManagedPolicy).read();
  }

  private AccountContents read() throws SQLException {
    Map<Long, ManagedPolicyRow> managed = new HashMap<>();
    query(
        "SELECT p.id, p.arn, p.aws_managed, p.default_version_id, v.document::text"
            + " FROM managed_policy p LEFT JOIN managed_policy_version v"
            + " ON v.policy_id = p.id AND v.version_id = p.default_version_id"
            + " WHERE p.account_id = ?",
        rs -> {
          ManagedPolicyRow row =
              new ManagedPolicyRow(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getBoolean(3),
                  Optional.ofNullable(rs.getString(4)),
                  Optional.ofNullable(rs.getString(5)));
          managed.put(row.id(), row);
          onManagedPolicy.accept(row);
        });
    heads("iam_user", users, "");
    heads("iam_group", groups, null);
    heads("iam_role", roles, ", trust_policy::text, tags::text");
    query(
        "SELECT m.user_id, m.group_id FROM group_membership m JOIN iam_user u ON u.id = m.user_id"
            + " WHERE u.account_id = ? ORDER BY m.user_id, m.position",
        rs -> users.get(rs.getLong(1)).groups.add(rs.getLong(2)));
    owned(EntityRows.Owner.USER, users);
    owned(EntityRows.Owner.GROUP, groups);
    owned(EntityRows.Owner.ROLE, roles);
    query(
        "SELECT role_id, name, path FROM instance_profile"
            + " WHERE account_id = ? AND role_id IS NOT NULL ORDER BY role_id, lower(name)",
        rs ->
            roles
                .get(rs.getLong(1))
                .profiles
                .add(Arns.instanceProfile(accountId, rs.getString(3), rs.getString(2))));
    List<List<StoredPolicy>> levels = ServiceControlPolicies.storedLevels(c, accountId);
    Map<Long, Owner> groupOwners = new HashMap<>();
    groups.forEach((id, g) -> groupOwners.put(id, g.owner(false)));
    return new AccountContents(
        accountId,
        managed,
        users.values().stream().map(u -> u.owner(false)).toList(),
        groupOwners,
        roles.values().stream().map(r -> r.owner(true)).toList(),
        levels);
  }

  /** The rows of one entity table; groups have no path that matters here and no boundary. */
  private void heads(String table, Map<Long, Building> into, String roleColumns)
      throws SQLException {
    boolean isGroup = roleColumns == null;
    boolean isRole = roleColumns != null && !roleColumns.isEmpty();
    query(
        "SELECT id, name, path"
            + (isGroup ? "" : ", boundary_policy_id")
            + (isRole ? roleColumns : "")
            + " FROM "
            + table
            + " WHERE account_id = ?",
        rs -> {
          Optional<Long> boundary = Optional.empty();
          if (!isGroup) {
            long b = rs.getLong(4);
            boundary = rs.wasNull() ? Optional.empty() : Optional.of(b);
          }
          Building b = new Building(rs.getLong(1), rs.getString(2), rs.getString(3), boundary);
          if (isRole) {
            b.trust = rs.getString(5);
            b.tags = EntityRows.tags(rs.getString(6));
          }
          into.put(b.id, b);
        });
  }

  /** Inline policies and attachments of every owner of one kind, each owner's in position order. */
  private void owned(EntityRows.Owner owner, Map<Long, Building> into) throws SQLException {
    String join = " JOIN " + owner.table + " o ON o.id = x." + owner.column;
    query(
        "SELECT x."
            + owner.column
            + ", x.name, x.document::text FROM inline_policy x"
            + join
            + " WHERE o.account_id = ? ORDER BY x."
            + owner.column
            + ", x.position",
        rs -> into.get(rs.getLong(1)).inline.add(new InlineText(rs.getString(2), rs.getString(3))));
    query(
        "SELECT x."
            + owner.column
            + ", x.policy_id FROM policy_attachment x"
            + join
            + " WHERE o.account_id = ? ORDER BY x."
            + owner.column
            + ", x.position",
        rs -> into.get(rs.getLong(1)).attached.add(rs.getLong(2)));
  }

  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private void query(String sql, RowHandler handler) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(FETCH);
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.row(rs);
        }
      }
    }
  }
}
