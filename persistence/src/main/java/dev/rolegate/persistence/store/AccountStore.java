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
import java.util.OptionalLong;

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

  @Transactional
  public Versioned<User> putUser(
      String accountId, User user, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          EntityRows.ensureAccount(c, accountId, revision);
          Optional<Found> found = EntityRows.find(c, "iam_user", accountId, user.name());
          precondition.check("user `" + user.name() + "`", EntityRows.revisionOf(found));
          Optional<Versioned<User>> before = EntityRows.readUser(c, accountId, user.name());
          if (found.isPresent()) {
            EntityRows.updateUser(c, accountId, found.get().id(), user, revision);
          } else {
            EntityRows.insertUser(c, accountId, user, revision);
          }
          User after = EntityRows.readUser(c, accountId, user.name()).orElseThrow().value();
          logEntity(
              c, revision, actor, accountId, "user", userArn(accountId, after), before, after);
          return new Versioned<>(after, revision);
        });
  }

  @Transactional
  public Versioned<Group> putGroup(
      String accountId, Group group, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          EntityRows.ensureAccount(c, accountId, revision);
          Optional<Found> found = EntityRows.find(c, "iam_group", accountId, group.name());
          precondition.check("group `" + group.name() + "`", EntityRows.revisionOf(found));
          Optional<Versioned<Group>> before = EntityRows.readGroup(c, accountId, group.name());
          if (found.isPresent()) {
            EntityRows.updateGroup(c, accountId, found.get().id(), group, revision);
          } else {
            EntityRows.insertGroup(c, accountId, group, revision);
          }
          Group after = EntityRows.readGroup(c, accountId, group.name()).orElseThrow().value();
          String arn = Arns.group(accountId, after.path(), after.name());
          logEntity(c, revision, actor, accountId, "group", arn, before, after);
          return new Versioned<>(after, revision);
        });
  }

  @Transactional
  public Versioned<Role> putRole(
      String accountId, Role role, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          EntityRows.ensureAccount(c, accountId, revision);
          Optional<Found> found = EntityRows.find(c, "iam_role", accountId, role.name());
          precondition.check("role `" + role.name() + "`", EntityRows.revisionOf(found));
          Optional<Versioned<Role>> before = EntityRows.readRole(c, accountId, role.name());
          if (found.isPresent()) {
            EntityRows.updateRole(c, accountId, found.get().id(), role, revision);
          } else {
            EntityRows.insertRole(c, accountId, role, revision);
          }
          Role after = EntityRows.readRole(c, accountId, role.name()).orElseThrow().value();
          String arn = Arns.role(accountId, after.path(), after.name());
          logEntity(c, revision, actor, accountId, "role", arn, before, after);
          return new Versioned<>(after, revision);
        });
  }

  @Transactional
  public Versioned<InstanceProfile> putInstanceProfile(
      String accountId, InstanceProfile profile, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          EntityRows.ensureAccount(c, accountId, revision);
          Optional<Found> found = EntityRows.find(c, "instance_profile", accountId, profile.name());
          precondition.check(
              "instance profile `" + profile.name() + "`", EntityRows.revisionOf(found));
          Optional<Versioned<InstanceProfile>> before =
              EntityRows.readInstanceProfile(c, accountId, profile.name());
          if (found.isPresent()) {
            EntityRows.delete(c, "instance_profile", found.get().id());
          }
          InstanceProfile kept =
              before
                  .map(
                      b ->
                          new InstanceProfile(
                              profile.name(), profile.path(), b.value().id(), profile.roleNames()))
                  .orElse(profile);
          EntityRows.insertInstanceProfile(c, accountId, kept, revision);
          InstanceProfile after =
              EntityRows.readInstanceProfile(c, accountId, profile.name()).orElseThrow().value();
          String arn = Arns.instanceProfile(accountId, after.path(), after.name());
          logEntity(c, revision, actor, accountId, "instance-profile", arn, before, after);
          return new Versioned<>(after, revision);
        });
  }

  /** Deletes a user with its inline policies, attachments and group memberships. */
  @Transactional
  public long deleteUser(String accountId, String name, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<User> before = existing(EntityRows.readUser(c, accountId, name), "user", name);
          precondition.check("user `" + name + "`", OptionalLong.of(before.revision()));
          EntityRows.delete(
              c, "iam_user", EntityRows.find(c, "iam_user", accountId, name).orElseThrow().id());
          logDeleted(
              c, revision, actor, accountId, "user", userArn(accountId, before.value()), before);
          return revision;
        });
  }

  /** Deletes a group; refused while users are in it, as IAM refuses (DeleteConflict). */
  @Transactional
  public long deleteGroup(String accountId, String name, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<Group> before =
              existing(EntityRows.readGroup(c, accountId, name), "group", name);
          precondition.check("group `" + name + "`", OptionalLong.of(before.revision()));
          long id = EntityRows.find(c, "iam_group", accountId, name).orElseThrow().id();
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
          EntityRows.delete(c, "iam_group", id);
          String arn = Arns.group(accountId, before.value().path(), before.value().name());
          logDeleted(c, revision, actor, accountId, "group", arn, before);
          return revision;
        });
  }

  /** Deletes a role; refused while an instance profile holds it, as IAM refuses. */
  @Transactional
  public long deleteRole(String accountId, String name, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<Role> before = existing(EntityRows.readRole(c, accountId, name), "role", name);
          precondition.check("role `" + name + "`", OptionalLong.of(before.revision()));
          long id = EntityRows.find(c, "iam_role", accountId, name).orElseThrow().id();
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
          EntityRows.delete(c, "iam_role", id);
          String arn = Arns.role(accountId, before.value().path(), before.value().name());
          logDeleted(c, revision, actor, accountId, "role", arn, before);
          return revision;
        });
  }

  @Transactional
  public long deleteInstanceProfile(
      String accountId, String name, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = connection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<InstanceProfile> before =
              existing(
                  EntityRows.readInstanceProfile(c, accountId, name), "instance profile", name);
          precondition.check("instance profile `" + name + "`", OptionalLong.of(before.revision()));
          EntityRows.delete(
              c,
              "instance_profile",
              EntityRows.find(c, "instance_profile", accountId, name).orElseThrow().id());
          String arn =
              Arns.instanceProfile(accountId, before.value().path(), before.value().name());
          logDeleted(c, revision, actor, accountId, "instance-profile", arn, before);
          return revision;
        });
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

  static String userArn(String accountId, User u) {
    return Arns.user(accountId, u.path(), u.name());
  }

  private static <T> Versioned<T> existing(Optional<Versioned<T>> found, String kind, String name) {
    return found.orElseThrow(
        () -> new StoreException(StoreError.NOT_FOUND, kind + " `" + name + "` does not exist"));
  }

  private static void logEntity(
      Connection c,
      long revision,
      String actor,
      String accountId,
      String kind,
      String arn,
      Optional<? extends Versioned<?>> before,
      Object after)
      throws SQLException {
    ChangeRows.append(
        c,
        new ChangeRows.Change(
            revision,
            actor,
            accountId,
            kind,
            arn,
            before.isPresent() ? "updated" : "created",
            before.map(b -> EntityRows.toTree(b.value())).orElse(null),
            EntityRows.toTree(after)));
  }

  private static void logDeleted(
      Connection c,
      long revision,
      String actor,
      String accountId,
      String kind,
      String arn,
      Versioned<?> before)
      throws SQLException {
    ChangeRows.append(
        c,
        new ChangeRows.Change(
            revision,
            actor,
            accountId,
            kind,
            arn,
            "deleted",
            EntityRows.toTree(before.value()),
            null));
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

  /** The database failed (not the caller's input): the API answers 503 or 500. */
  public static final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreFailure(SQLException cause) {
      super("the database failed: " + cause.getMessage(), cause);
    }
  }
}
