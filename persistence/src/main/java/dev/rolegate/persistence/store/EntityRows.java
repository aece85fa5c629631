package dev.rolegate.persistence.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.persistence.account.AccountState.Group;
import dev.rolegate.persistence.account.AccountState.InlinePolicy;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.account.AccountState.ManagedPolicy;
import dev.rolegate.persistence.account.AccountState.PolicyVersion;
import dev.rolegate.persistence.account.AccountState.Role;
import dev.rolegate.persistence.account.AccountState.User;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SQL of the store's entities: insert, read and delete rows of one connection's transaction.
 * Callers hold the transaction and the revision; these methods only move rows.
 */
final class EntityRows {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  /** The owner column of inline policies, attachments and the tables that name an entity. */
  enum Owner {
    USER("user_id", "iam_user", "user"),
    GROUP("group_id", "iam_group", "group"),
    ROLE("role_id", "iam_role", "role");

    final String column;
    final String table;
    final String kind;

    Owner(String column, String table, String kind) {
      this.column = column;
      this.table = table;
      this.kind = kind;
    }
  }

  /** A row found by name: its id and the revision of its last write. */
  record Found(long id, long revision) {}

  private EntityRows() {}

  /** Takes the store's write lock and returns the revision of this write. */
  static long bumpRevision(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE store_revision SET revision = revision + 1 RETURNING revision")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static long currentRevision(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT revision FROM store_revision")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void ensureAccount(Connection c, String accountId, long revision) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO account (account_id, modified_revision) VALUES (?, ?)"
                + " ON CONFLICT (account_id) DO UPDATE SET modified_revision = excluded.modified_revision")) {
      ps.setString(1, accountId);
      ps.setLong(2, revision);
      ps.executeUpdate();
    }
  }

  static boolean accountExists(Connection c, String accountId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM account WHERE account_id = ?")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A new AWS-style unique id such as {@code AIDA} followed by 17 characters. */
  static String newUniqueId(String prefix) {
    StringBuilder b = new StringBuilder(prefix);
    for (int i = 0; i < 17; i++) {
      b.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
    }
    return b.toString();
  }

  static Optional<Found> find(Connection c, String table, String accountId, String name)
      throws SQLException {
    return byName(
        c,
        "SELECT e.id, e.modified_revision FROM " + table + " e",
        accountId,
        name,
        rs -> new Found(rs.getLong(1), rs.getLong(2)));
  }

  /** Reads one column set of a row. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The entity of that name in the account (names compare case-insensitively, as in IAM): {@code
   * select} names the columns and the entity's table, aliased {@code e}.
   */
  static <T> Optional<T> byName(
      Connection c, String select, String accountId, String name, Row<T> row) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(select + " WHERE e.account_id = ? AND lower(e.name) = lower(?)")) {
      ps.setString(1, accountId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    }
  }

  static OptionalLong revisionOf(Optional<Found> found) {
    return found.map(f -> OptionalLong.of(f.revision())).orElse(OptionalLong.empty());
  }

  // ---- managed policies

  /** The id of the policy with that ARN in the account, which must exist. */
  static long policyId(Connection c, String accountId, String arn, String usedAs)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM managed_policy WHERE account_id = ? AND arn = ?")) {
      ps.setString(1, accountId);
      ps.setString(2, arn);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    }
    throw new StoreException(
        StoreError.UNKNOWN_REFERENCE,
        "the "
            + usedAs
            + " `"
            + arn
            + "` is not a managed policy of account `"
            + accountId
            + "`: create or import it first");
  }

  static long insertPolicy(Connection c, String accountId, ManagedPolicy p, long revision)
      throws SQLException {
    String defaultVersion =
        p.versions().stream()
            .filter(PolicyVersion::isDefault)
            .map(PolicyVersion::versionId)
            .findFirst()
            .orElse(null);
    long id;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO managed_policy (account_id, arn, name, path, unique_id, aws_managed,"
                + " default_version_id, modified_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " RETURNING id")) {
      ps.setString(1, accountId);
      ps.setString(2, p.arn());
      ps.setString(3, p.name());
      ps.setString(4, p.path());
      ps.setString(5, p.id() != null ? p.id() : newUniqueId("ANPA"));
      ps.setBoolean(6, Arns.isAwsManagedPolicy(p.arn()));
      ps.setString(7, defaultVersion);
      ps.setLong(8, revision);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    for (PolicyVersion v : p.versions()) {
      insertVersion(c, id, v.versionId(), v.document(), revision);
    }
    return id;
  }

  static void insertVersion(
      Connection c, long policyId, String versionId, JsonNode document, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO managed_policy_version (policy_id, version_id, document, created_revision)"
                + " VALUES (?, ?, ?::jsonb, ?)")) {
      ps.setLong(1, policyId);
      ps.setString(2, versionId);
      ps.setString(3, json(document));
      ps.setLong(4, revision);
      ps.executeUpdate();
    }
    // Version ids are never handed out twice (IAM's rule): remember the highest number seen.
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE managed_policy SET last_version_number = greatest(last_version_number, ?)"
                + " WHERE id = ?")) {
      ps.setInt(1, versionNumber(versionId));
      ps.setLong(2, policyId);
      ps.executeUpdate();
    }
  }

  /** The number of a version id such as {@code v12} (0 when it has none). */
  static int versionNumber(String versionId) {
    int end = 1;
    while (end < versionId.length() && Character.isDigit(versionId.charAt(end))) {
      end++;
    }
    return end == 1 ? 0 : Integer.parseInt(versionId.substring(1, end));
  }

  static Optional<Versioned<ManagedPolicy>> readPolicy(Connection c, String accountId, String arn)
      throws SQLException {
    long id;
    String name;
    String path;
    String uniqueId;
    String defaultVersion;
    long revision;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, name, path, unique_id, default_version_id, modified_revision"
                + " FROM managed_policy WHERE account_id = ? AND arn = ?")) {
      ps.setString(1, accountId);
      ps.setString(2, arn);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        id = rs.getLong(1);
        name = rs.getString(2);
        path = rs.getString(3);
        uniqueId = rs.getString(4);
        defaultVersion = rs.getString(5);
        revision = rs.getLong(6);
      }
    }
    List<PolicyVersion> versions = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version_id, document::text FROM managed_policy_version WHERE policy_id = ?"
                + " ORDER BY created_revision, length(version_id), version_id")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String v = rs.getString(1);
          versions.add(new PolicyVersion(v, tree(rs.getString(2)), v.equals(defaultVersion)));
        }
      }
    }
    return Optional.of(
        new Versioned<>(new ManagedPolicy(arn, name, path, uniqueId, versions), revision));
  }

  // ---- users, groups, roles, instance profiles

  static long insertUser(Connection c, String accountId, User u, long revision)
      throws SQLException {
    Long boundary = boundaryId(c, accountId, u.boundaryArn());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO iam_user (account_id, name, path, unique_id, boundary_policy_id, tags,"
                + " modified_revision) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id")) {
      ps.setString(1, accountId);
      ps.setString(2, u.name());
      ps.setString(3, u.path());
      ps.setString(4, u.id() != null ? u.id() : newUniqueId("AIDA"));
      setNullableLong(ps, 5, boundary);
      ps.setString(6, json(u.tags()));
      ps.setLong(7, revision);
      long id = returnedId(ps);
      insertOwned(c, accountId, Owner.USER, id, u.inlinePolicies(), u.attachedPolicyArns());
      insertMemberships(c, accountId, id, u.groupNames());
      return id;
    }
  }

  static long insertGroup(Connection c, String accountId, Group g, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO iam_group (account_id, name, path, unique_id, modified_revision)"
                + " VALUES (?, ?, ?, ?, ?) RETURNING id")) {
      ps.setString(1, accountId);
      ps.setString(2, g.name());
      ps.setString(3, g.path());
      ps.setString(4, g.id() != null ? g.id() : newUniqueId("AGPA"));
      ps.setLong(5, revision);
      long id = returnedId(ps);
      insertOwned(c, accountId, Owner.GROUP, id, g.inlinePolicies(), g.attachedPolicyArns());
      return id;
    }
  }

  static long insertRole(Connection c, String accountId, Role r, long revision)
      throws SQLException {
    Long boundary = boundaryId(c, accountId, r.boundaryArn());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO iam_role (account_id, name, path, unique_id, trust_policy,"
                + " boundary_policy_id, tags, modified_revision)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?) RETURNING id")) {
      ps.setString(1, accountId);
      ps.setString(2, r.name());
      ps.setString(3, r.path());
      ps.setString(4, r.id() != null ? r.id() : newUniqueId("AROA"));
      ps.setString(5, json(r.trustPolicy()));
      setNullableLong(ps, 6, boundary);
      ps.setString(7, json(r.tags()));
      ps.setLong(8, revision);
      long id = returnedId(ps);
      insertOwned(c, accountId, Owner.ROLE, id, r.inlinePolicies(), r.attachedPolicyArns());
      return id;
    }
  }

  static long insertInstanceProfile(
      Connection c, String accountId, InstanceProfile p, long revision) throws SQLException {
    Long roleId = p.roleNames().isEmpty() ? null : roleId(c, accountId, p.roleNames().get(0));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO instance_profile (account_id, name, path, unique_id, role_id,"
                + " modified_revision) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
      ps.setString(1, accountId);
      ps.setString(2, p.name());
      ps.setString(3, p.path());
      ps.setString(4, p.id() != null ? p.id() : newUniqueId("AIPA"));
      setNullableLong(ps, 5, roleId);
      ps.setLong(6, revision);
      return returnedId(ps);
    }
  }

  static void updateUser(Connection c, String accountId, long id, User u, long revision)
      throws SQLException {
    Long boundary = boundaryId(c, accountId, u.boundaryArn());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE iam_user SET name = ?, path = ?, boundary_policy_id = ?, tags = ?::jsonb,"
                + " modified_revision = ? WHERE id = ?")) {
      ps.setString(1, u.name());
      ps.setString(2, u.path());
      setNullableLong(ps, 3, boundary);
      ps.setString(4, json(u.tags()));
      ps.setLong(5, revision);
      ps.setLong(6, id);
      ps.executeUpdate();
    }
    deleteOwned(c, Owner.USER, id);
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM group_membership WHERE user_id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
    insertOwned(c, accountId, Owner.USER, id, u.inlinePolicies(), u.attachedPolicyArns());
    insertMemberships(c, accountId, id, u.groupNames());
  }

  static void updateGroup(Connection c, String accountId, long id, Group g, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE iam_group SET name = ?, path = ?, modified_revision = ? WHERE id = ?")) {
      ps.setString(1, g.name());
      ps.setString(2, g.path());
      ps.setLong(3, revision);
      ps.setLong(4, id);
      ps.executeUpdate();
    }
    deleteOwned(c, Owner.GROUP, id);
    insertOwned(c, accountId, Owner.GROUP, id, g.inlinePolicies(), g.attachedPolicyArns());
  }

  static void updateRole(Connection c, String accountId, long id, Role r, long revision)
      throws SQLException {
    Long boundary = boundaryId(c, accountId, r.boundaryArn());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE iam_role SET name = ?, path = ?, trust_policy = ?::jsonb,"
                + " boundary_policy_id = ?, tags = ?::jsonb, modified_revision = ? WHERE id = ?")) {
      ps.setString(1, r.name());
      ps.setString(2, r.path());
      ps.setString(3, json(r.trustPolicy()));
      setNullableLong(ps, 4, boundary);
      ps.setString(5, json(r.tags()));
      ps.setLong(6, revision);
      ps.setLong(7, id);
      ps.executeUpdate();
    }
    deleteOwned(c, Owner.ROLE, id);
    insertOwned(c, accountId, Owner.ROLE, id, r.inlinePolicies(), r.attachedPolicyArns());
  }

  static void updateInstanceProfile(
      Connection c, String accountId, long id, InstanceProfile p, long revision)
      throws SQLException {
    Long roleId = p.roleNames().isEmpty() ? null : roleId(c, accountId, p.roleNames().get(0));
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE instance_profile SET name = ?, path = ?, role_id = ?, modified_revision = ?"
                + " WHERE id = ?")) {
      ps.setString(1, p.name());
      ps.setString(2, p.path());
      setNullableLong(ps, 3, roleId);
      ps.setLong(4, revision);
      ps.setLong(5, id);
      ps.executeUpdate();
    }
  }

  private static long roleId(Connection c, String accountId, String roleName) throws SQLException {
    return find(c, "iam_role", accountId, roleName)
        .orElseThrow(
            () ->
                new StoreException(
                    StoreError.UNKNOWN_REFERENCE,
                    "role `" + roleName + "` does not exist in account `" + accountId + "`"))
        .id();
  }

  private static void deleteOwned(Connection c, Owner owner, long id) throws SQLException {
    for (String table : List.of("inline_policy", "policy_attachment")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE " + owner.column + " = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
    }
  }

  static void delete(Connection c, String table, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }

  private static Long boundaryId(Connection c, String accountId, String boundaryArn)
      throws SQLException {
    return boundaryArn == null ? null : policyId(c, accountId, boundaryArn, "permissions boundary");
  }

  private static void insertOwned(
      Connection c,
      String accountId,
      Owner owner,
      long ownerId,
      List<InlinePolicy> inline,
      List<String> attached)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO inline_policy ("
                + owner.column
                + ", name, position, document) VALUES (?, ?, ?, ?::jsonb)")) {
      for (int i = 0; i < inline.size(); i++) {
        ps.setLong(1, ownerId);
        ps.setString(2, inline.get(i).name());
        ps.setInt(3, i);
        ps.setString(4, json(inline.get(i).document()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO policy_attachment (policy_id, "
                + owner.column
                + ", position) VALUES (?, ?, ?)")) {
      for (int i = 0; i < attached.size(); i++) {
        ps.setLong(1, policyId(c, accountId, attached.get(i), "attached policy"));
        ps.setLong(2, ownerId);
        ps.setInt(3, i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertMemberships(
      Connection c, String accountId, long userId, List<String> groupNames) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO group_membership (group_id, user_id, position) VALUES (?, ?, ?)")) {
      for (int i = 0; i < groupNames.size(); i++) {
        String groupName = groupNames.get(i);
        long groupId =
            find(c, "iam_group", accountId, groupName)
                .orElseThrow(
                    () ->
                        new StoreException(
                            StoreError.UNKNOWN_REFERENCE,
                            "group `"
                                + groupName
                                + "` does not exist in account `"
                                + accountId
                                + "`"))
                .id();
        ps.setLong(1, groupId);
        ps.setLong(2, userId);
        ps.setInt(3, i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ---- reading entities back

  static Optional<Versioned<User>> readUser(Connection c, String accountId, String name)
      throws SQLException {
    return byName(
        c,
        "SELECT e.id, e.name, e.path, e.unique_id, b.arn, e.tags::text, e.modified_revision"
            + " FROM iam_user e LEFT JOIN managed_policy b ON b.id = e.boundary_policy_id",
        accountId,
        name,
        rs -> {
          long id = rs.getLong(1);
          User u =
              new User(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  groupNames(c, id),
                  inlinePolicies(c, Owner.USER, id),
                  attachedArns(c, Owner.USER, id),
                  rs.getString(5),
                  tags(rs.getString(6)));
          return new Versioned<>(u, rs.getLong(7));
        });
  }

  static Optional<Versioned<Group>> readGroup(Connection c, String accountId, String name)
      throws SQLException {
    return byName(
        c,
        "SELECT e.id, e.name, e.path, e.unique_id, e.modified_revision FROM iam_group e",
        accountId,
        name,
        rs -> {
          long id = rs.getLong(1);
          Group g =
              new Group(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  inlinePolicies(c, Owner.GROUP, id),
                  attachedArns(c, Owner.GROUP, id));
          return new Versioned<>(g, rs.getLong(5));
        });
  }

  static Optional<Versioned<Role>> readRole(Connection c, String accountId, String name)
      throws SQLException {
    return byName(
        c,
        "SELECT e.id, e.name, e.path, e.unique_id, e.trust_policy::text, b.arn, e.tags::text,"
            + " e.modified_revision FROM iam_role e"
            + " LEFT JOIN managed_policy b ON b.id = e.boundary_policy_id",
        accountId,
        name,
        rs -> {
          long id = rs.getLong(1);
          Role r =
              new Role(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  tree(rs.getString(5)),
                  inlinePolicies(c, Owner.ROLE, id),
                  attachedArns(c, Owner.ROLE, id),
                  rs.getString(6),
                  tags(rs.getString(7)));
          return new Versioned<>(r, rs.getLong(8));
        });
  }

  static Optional<Versioned<InstanceProfile>> readInstanceProfile(
      Connection c, String accountId, String name) throws SQLException {
    return byName(
        c,
        "SELECT e.name, e.path, e.unique_id, r.name, e.modified_revision"
            + " FROM instance_profile e LEFT JOIN iam_role r ON r.id = e.role_id",
        accountId,
        name,
        rs -> {
          String role = rs.getString(4);
          InstanceProfile p =
              new InstanceProfile(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  role == null ? List.of() : List.of(role));
          return new Versioned<>(p, rs.getLong(5));
        });
  }

  static List<String> names(Connection c, String table, String accountId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name FROM " + table + " WHERE account_id = ? ORDER BY lower(name)")) {
      ps.setString(1, accountId);
      return strings(ps);
    }
  }

  static List<InlinePolicy> inlinePolicies(Connection c, Owner owner, long ownerId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, document::text FROM inline_policy WHERE "
                + owner.column
                + " = ? ORDER BY position")) {
      ps.setLong(1, ownerId);
      List<InlinePolicy> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new InlinePolicy(rs.getString(1), tree(rs.getString(2))));
        }
      }
      return out;
    }
  }

  static List<String> attachedArns(Connection c, Owner owner, long ownerId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT p.arn FROM policy_attachment a JOIN managed_policy p ON p.id = a.policy_id"
                + " WHERE a."
                + owner.column
                + " = ? ORDER BY a.position")) {
      ps.setLong(1, ownerId);
      return strings(ps);
    }
  }

  private static List<String> groupNames(Connection c, long userId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT g.name FROM group_membership m JOIN iam_group g ON g.id = m.group_id"
                + " WHERE m.user_id = ? ORDER BY m.position")) {
      ps.setLong(1, userId);
      return strings(ps);
    }
  }

  static List<String> strings(PreparedStatement ps) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  // ---- JSON

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static JsonNode toTree(Object value) {
    return JSON.valueToTree(value);
  }

  static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  static Map<String, String> tags(String text) {
    try {
      return JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored tags are unreadable", e);
    }
  }

  private static long returnedId(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void setNullableLong(PreparedStatement ps, int index, Long value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
