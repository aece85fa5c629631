package dev.rolegate.persistence.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.persistence.account.AccountState;
import dev.rolegate.persistence.account.AccountState.Group;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.account.AccountState.ManagedPolicy;
import dev.rolegate.persistence.account.AccountState.Role;
import dev.rolegate.persistence.account.AccountState.User;
import dev.rolegate.persistence.store.EntityRows.Found;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads the IAM entities of accounts. Every write is one transaction that first bumps
 * the global revision (which also serialises writers), checks the caller's precondition, writes,
 * appends to the change log and returns the new revision; a refused write throws {@link
 * StoreException} and leaves nothing behind.
 */
@Singleton
public class AccountStore {
  private final JdbcOperations jdbc;

  public AccountStore(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** The current revision of the whole store. */
  @Transactional(readOnly = true)
  public long revision() {
    return sql(() -> EntityRows.currentRevision(connection()));
  }

  // ---- an account at once

  /**
   * Replaces everything stored for the account with the given state, as one revision: what the
   * state does not name is deleted.
   */
  @Transactional
  public long replaceAccount(AccountState state, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          String account = state.accountId();
          ObjectNode before = summary(c, account);
          EntityRows.ensureAccount(c, account, revision);
          // Entities only: the account row, and with it the SCP levels, stay.
          for (String table :
              List.of("instance_profile", "iam_user", "iam_group", "iam_role", "managed_policy")) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
              ps.setString(1, account);
              ps.executeUpdate();
            }
          }
          for (ManagedPolicy p : state.policies()) {
            EntityRows.insertPolicy(c, account, p, revision);
          }
          for (Group g : state.groups()) {
            EntityRows.insertGroup(c, account, g, revision);
          }
          for (User u : state.users()) {
            EntityRows.insertUser(c, account, u, revision);
          }
          for (Role r : state.roles()) {
            EntityRows.insertRole(c, account, r, revision);
          }
          for (InstanceProfile p : state.instanceProfiles()) {
            EntityRows.insertInstanceProfile(c, account, p, revision);
          }
          ChangeRows.append(
              c,
              new ChangeRows.Change(
                  revision,
                  actor,
                  account,
                  "account",
                  account,
                  before.isEmpty() ? "created" : "replaced",
                  before.isEmpty() ? null : before,
                  summary(c, account)));
          return revision;
        });
  }

  // ---- users, groups, roles, instance profiles

  /** Creates or replaces the user (its groups, inline policies, attachments, boundary, tags). */
  @Transactional
  public Versioned<User> putUser(
      String accountId, User user, Precondition precondition, String actor) {
    return put(Kinds.USER, accountId, user.name(), user, precondition, actor);
  }

  @Transactional
  public Versioned<Group> putGroup(
      String accountId, Group group, Precondition precondition, String actor) {
    return put(Kinds.GROUP, accountId, group.name(), group, precondition, actor);
  }

  @Transactional
  public Versioned<Role> putRole(
      String accountId, Role role, Precondition precondition, String actor) {
    return put(Kinds.ROLE, accountId, role.name(), role, precondition, actor);
  }

  @Transactional
  public Versioned<InstanceProfile> putInstanceProfile(
      String accountId, InstanceProfile profile, Precondition precondition, String actor) {
    return put(Kinds.INSTANCE_PROFILE, accountId, profile.name(), profile, precondition, actor);
  }

  /** Deletes a user with its inline policies, attachments and group memberships. */
  @Transactional
  public long deleteUser(String accountId, String name, Precondition precondition, String actor) {
    return delete(Kinds.USER, accountId, name, precondition, actor, (c, id) -> {});
  }

  /** Deletes a group; refused while users are in it, as IAM refuses (DeleteConflict). */
  @Transactional
  public long deleteGroup(String accountId, String name, Precondition precondition, String actor) {
    return delete(
        Kinds.GROUP,
        accountId,
        name,
        precondition,
        actor,
        (c, id) -> {
          List<String> members =
              strings(
                  c,
                  "SELECT u.name FROM group_membership m JOIN iam_user u ON u.id = m.user_id"
                      + " WHERE m.group_id = ? ORDER BY lower(u.name)",
                  id);
          if (!members.isEmpty()) {
            throw new StoreException(
                StoreError.DELETE_CONFLICT,
                "group `"
                    + name
                    + "` still has members "
                    + backticked(members)
                    + ": remove them from the group first");
          }
        });
  }

  /** Deletes a role; refused while an instance profile holds it, as IAM refuses. */
  @Transactional
  public long deleteRole(String accountId, String name, Precondition precondition, String actor) {
    return delete(
        Kinds.ROLE,
        accountId,
        name,
        precondition,
        actor,
        (c, id) -> {
          List<String> profiles =
              strings(
                  c,
                  "SELECT name FROM instance_profile WHERE role_id = ? ORDER BY lower(name)",
                  id);
          if (!profiles.isEmpty()) {
            throw new StoreException(
                StoreError.DELETE_CONFLICT,
                "role `"
                    + name
                    + "` is in the instance profiles "
                    + backticked(profiles)
                    + ": remove it from them first");
          }
        });
  }

  @Transactional
  public long deleteInstanceProfile(
      String accountId, String name, Precondition precondition, String actor) {
    return delete(Kinds.INSTANCE_PROFILE, accountId, name, precondition, actor, (c, id) -> {});
  }

  /** One write of a whole entity: precondition, insert or update in place, change log. */
  private <T> Versioned<T> put(
      Kind<T> kind,
      String accountId,
      String name,
      T value,
      Precondition precondition,
      String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          EntityRows.ensureAccount(c, accountId, revision);
          Optional<Found> found = EntityRows.find(c, kind.table(), accountId, name);
          precondition.check(kind.label() + " `" + name + "`", EntityRows.revisionOf(found));
          Optional<Versioned<T>> before = kind.read().read(c, accountId, name);
          if (found.isPresent()) {
            kind.update().update(c, accountId, found.get().id(), value, revision);
          } else {
            kind.insert().insert(c, accountId, value, revision);
          }
          T after = kind.read().read(c, accountId, name).orElseThrow().value();
          ChangeRows.append(
              c,
              new ChangeRows.Change(
                  revision,
                  actor,
                  accountId,
                  kind.changeKind(),
                  kind.arn().arn(accountId, after),
                  before.isPresent() ? "updated" : "created",
                  before.map(b -> EntityRows.toTree(b.value())).orElse(null),
                  EntityRows.toTree(after)));
          return new Versioned<>(after, revision);
        });
  }

  private <T> long delete(
      Kind<T> kind,
      String accountId,
      String name,
      Precondition precondition,
      String actor,
      ConflictCheck conflicts) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          Optional<Found> found = EntityRows.find(c, kind.table(), accountId, name);
          if (found.isEmpty()) {
            throw new StoreException(
                StoreError.NOT_FOUND, kind.label() + " `" + name + "` does not exist");
          }
          precondition.check(kind.label() + " `" + name + "`", EntityRows.revisionOf(found));
          conflicts.check(c, found.get().id());
          Versioned<T> before = kind.read().read(c, accountId, name).orElseThrow();
          EntityRows.delete(c, kind.table(), found.get().id());
          ChangeRows.append(
              c,
              new ChangeRows.Change(
                  revision,
                  actor,
                  accountId,
                  kind.changeKind(),
                  kind.arn().arn(accountId, before.value()),
                  "deleted",
                  EntityRows.toTree(before.value()),
                  null));
          return revision;
        });
  }

  /** How the store reads, inserts, updates and names one kind of entity. */
  private record Kind<T>(
      String table,
      String label,
      String changeKind,
      Reader<T> read,
      Inserter<T> insert,
      Updater<T> update,
      ArnOf<T> arn) {}

  @FunctionalInterface
  private interface Reader<T> {
    Optional<Versioned<T>> read(Connection c, String accountId, String name) throws SQLException;
  }

  @FunctionalInterface
  private interface Inserter<T> {
    void insert(Connection c, String accountId, T value, long revision) throws SQLException;
  }

  @FunctionalInterface
  private interface Updater<T> {
    void update(Connection c, String accountId, long id, T value, long revision)
        throws SQLException;
  }

  @FunctionalInterface
  private interface ArnOf<T> {
    String arn(String accountId, T value);
  }

  /** Throws {@link StoreException} when the entity with that row id is still in use. */
  @FunctionalInterface
  private interface ConflictCheck {
    void check(Connection c, long id) throws SQLException;
  }

  private static final class Kinds {
    static final Kind<User> USER =
        new Kind<>(
            "iam_user",
            "user",
            "user",
            EntityRows::readUser,
            (c, a, v, r) -> EntityRows.insertUser(c, a, v, r),
            EntityRows::updateUser,
            (a, v) -> Arns.user(a, v.path(), v.name()));
    static final Kind<Group> GROUP =
        new Kind<>(
            "iam_group",
            "group",
            "group",
            EntityRows::readGroup,
            (c, a, v, r) -> EntityRows.insertGroup(c, a, v, r),
            EntityRows::updateGroup,
            (a, v) -> Arns.group(a, v.path(), v.name()));
    static final Kind<Role> ROLE =
        new Kind<>(
            "iam_role",
            "role",
            "role",
            EntityRows::readRole,
            (c, a, v, r) -> EntityRows.insertRole(c, a, v, r),
            EntityRows::updateRole,
            (a, v) -> Arns.role(a, v.path(), v.name()));
    static final Kind<InstanceProfile> INSTANCE_PROFILE =
        new Kind<>(
            "instance_profile",
            "instance profile",
            "instance-profile",
            EntityRows::readInstanceProfile,
            (c, a, v, r) -> EntityRows.insertInstanceProfile(c, a, v, r),
            EntityRows::updateInstanceProfile,
            (a, v) -> Arns.instanceProfile(a, v.path(), v.name()));

    private Kinds() {}
  }

  // ---- reads

  @Transactional(readOnly = true)
  public Optional<Versioned<User>> user(String accountId, String name) {
    return sql(() -> EntityRows.readUser(connection(), accountId, name));
  }

  @Transactional(readOnly = true)
  public Optional<Versioned<Group>> group(String accountId, String name) {
    return sql(() -> EntityRows.readGroup(connection(), accountId, name));
  }

  @Transactional(readOnly = true)
  public Optional<Versioned<Role>> role(String accountId, String name) {
    return sql(() -> EntityRows.readRole(connection(), accountId, name));
  }

  @Transactional(readOnly = true)
  public Optional<Versioned<InstanceProfile>> instanceProfile(String accountId, String name) {
    return sql(() -> EntityRows.readInstanceProfile(connection(), accountId, name));
  }

  @Transactional(readOnly = true)
  public Optional<Versioned<ManagedPolicy>> policy(String accountId, String arn) {
    return sql(() -> EntityRows.readPolicy(connection(), accountId, arn));
  }

  /** Names of one kind of entity in an account, in case-insensitive order. */
  @Transactional(readOnly = true)
  public List<String> names(String accountId, EntityKind kind) {
    return sql(() -> EntityRows.names(connection(), kind.table, accountId));
  }

  /** The ARNs of the account's managed policies (customer and AWS managed). */
  @Transactional(readOnly = true)
  public List<String> policyArns(String accountId) {
    return sql(
        () -> {
          try (PreparedStatement ps =
              connection()
                  .prepareStatement(
                      "SELECT arn FROM managed_policy WHERE account_id = ? ORDER BY arn")) {
            ps.setString(1, accountId);
            return EntityRows.strings(ps);
          }
        });
  }

  @Transactional(readOnly = true)
  public boolean accountExists(String accountId) {
    return sql(() -> EntityRows.accountExists(connection(), accountId));
  }

  /** The named kinds of entity, for listings. */
  public enum EntityKind {
    USER("iam_user"),
    GROUP("iam_group"),
    ROLE("iam_role"),
    INSTANCE_PROFILE("instance_profile");

    final String table;

    EntityKind(String table) {
      this.table = table;
    }
  }

  // ---- helpers

  private Connection connection() {
    return jdbc.getConnection();
  }

  /** Counts of what the account holds, for the change log of an account-wide write. */
  private static ObjectNode summary(Connection c, String accountId) throws SQLException {
    ObjectNode out = EntityRows.JSON.createObjectNode();
    if (!EntityRows.accountExists(c, accountId)) {
      return out;
    }
    for (String[] t :
        new String[][] {
          {"users", "iam_user"},
          {"groups", "iam_group"},
          {"roles", "iam_role"},
          {"policies", "managed_policy"},
          {"instanceProfiles", "instance_profile"}
        }) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*) FROM " + t[1] + " WHERE account_id = ?")) {
        ps.setString(1, accountId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.put(t[0], rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static List<String> strings(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      return EntityRows.strings(ps);
    }
  }

  static String backticked(List<String> names) {
    return names.stream().map(n -> "`" + n + "`").reduce((a, b) -> a + ", " + b).orElse("");
  }

  /** A unit of JDBC work; SQL errors become unchecked so the transaction rolls back. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  static <T> T sql(SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StoreFailure(e);
    }
  }
}
