package dev.rolegate.persistence.store;

import static dev.rolegate.persistence.store.AccountStore.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.persistence.account.AccountState.ManagedPolicy;
import dev.rolegate.persistence.account.AccountState.PolicyVersion;
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
 * Customer managed policies and their versions, with IAM's rules: at most five versions, exactly
 * one default, the default cannot be deleted, and a policy in use cannot be deleted.
 */
@Singleton
public class PolicyStore {
  /** IAM keeps at most five versions of a managed policy. */
  public static final int MAX_VERSIONS = 5;

  private final JdbcOperations jdbc;

  public PolicyStore(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** A write, the version it made or touched, and the policy as it is now (its ETag: revision). */
  public record VersionWrite(long revision, String versionId, ManagedPolicy policy) {}

  /**
   * Creates the policy with its document as default version {@code v1}, or, when it exists, adds
   * the document as a new default version (IAM's CreatePolicyVersion with SetAsDefault).
   */
  @Transactional
  public VersionWrite putPolicy(
      String accountId,
      String name,
      String path,
      JsonNode document,
      Precondition precondition,
      String actor) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.bumpRevision(c);
          EntityRows.ensureAccount(c, accountId, revision);
          Optional<Versioned<ManagedPolicy>> before = read(c, accountId, name);
          precondition.check(what(name), revisionOf(before));
          if (before.isEmpty()) {
            String arn = Arns.customerPolicy(accountId, path, name);
            EntityRows.insertPolicy(
                c,
                accountId,
                new ManagedPolicy(
                    arn, name, path, null, List.of(new PolicyVersion("v1", document, true))),
                revision);
            log(c, revision, actor, accountId, arn, before);
            return new VersionWrite(revision, "v1", current(c, accountId, arn));
          }
          ManagedPolicy existing = before.get().value();
          if (!existing.path().equals(path)) {
            throw new StoreException(
                StoreError.ALREADY_EXISTS,
                what(name)
                    + " exists with path `"
                    + existing.path()
                    + "`; a policy's path cannot change");
          }
          String versionId = addVersion(c, accountId, existing, document, true, revision);
          log(c, revision, actor, accountId, existing.arn(), before);
          return new VersionWrite(revision, versionId, current(c, accountId, existing.arn()));
        });
  }

  /** Adds a version, the new default when {@code setAsDefault}; refused when five exist. */
  @Transactional
  public VersionWrite createVersion(
      String accountId,
      String name,
      JsonNode document,
      boolean setAsDefault,
      Precondition precondition,
      String actor) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<ManagedPolicy> before = existing(c, accountId, name);
          precondition.check(what(name), OptionalLong.of(before.revision()));
          String versionId =
              addVersion(c, accountId, before.value(), document, setAsDefault, revision);
          log(c, revision, actor, accountId, before.value().arn(), Optional.of(before));
          return new VersionWrite(revision, versionId, current(c, accountId, before.value().arn()));
        });
  }

  @Transactional
  public VersionWrite setDefaultVersion(
      String accountId, String name, String versionId, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<ManagedPolicy> before = existing(c, accountId, name);
          precondition.check(what(name), OptionalLong.of(before.revision()));
          version(before.value(), versionId);
          setDefault(c, accountId, before.value().arn(), versionId, revision);
          log(c, revision, actor, accountId, before.value().arn(), Optional.of(before));
          return new VersionWrite(revision, versionId, current(c, accountId, before.value().arn()));
        });
  }

  @Transactional
  public VersionWrite deleteVersion(
      String accountId, String name, String versionId, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<ManagedPolicy> before = existing(c, accountId, name);
          precondition.check(what(name), OptionalLong.of(before.revision()));
          if (version(before.value(), versionId).isDefault()) {
            throw new StoreException(
                StoreError.DELETE_CONFLICT,
                "`"
                    + versionId
                    + "` is the default version of "
                    + what(name)
                    + ": make another version the default first");
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM managed_policy_version v USING managed_policy p"
                      + " WHERE v.policy_id = p.id AND p.account_id = ? AND p.arn = ?"
                      + " AND v.version_id = ?")) {
            ps.setString(1, accountId);
            ps.setString(2, before.value().arn());
            ps.setString(3, versionId);
            ps.executeUpdate();
          }
          touch(c, accountId, before.value().arn(), revision);
          log(c, revision, actor, accountId, before.value().arn(), Optional.of(before));
          return new VersionWrite(revision, versionId, current(c, accountId, before.value().arn()));
        });
  }

  /** Deletes the policy and its versions; refused while attached or used as a boundary. */
  @Transactional
  public long deletePolicy(String accountId, String name, Precondition precondition, String actor) {
    return sql(
        () -> {
          Connection c = jdbc.getConnection();
          long revision = EntityRows.bumpRevision(c);
          Versioned<ManagedPolicy> before = existing(c, accountId, name);
          precondition.check(what(name), OptionalLong.of(before.revision()));
          String arn = before.value().arn();
          long uses = uses(c, accountId, arn);
          if (uses > 0) {
            throw new StoreException(
                StoreError.DELETE_CONFLICT,
                what(name)
                    + " is attached or used as a permissions boundary "
                    + uses
                    + " time(s): detach it first");
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM managed_policy WHERE account_id = ? AND arn = ?")) {
            ps.setString(1, accountId);
            ps.setString(2, arn);
            ps.executeUpdate();
          }
          ChangeRows.append(
              c,
              new ChangeRows.Change(
                  revision,
                  actor,
                  accountId,
                  "policy",
                  arn,
                  "deleted",
                  EntityRows.toTree(before.value()),
                  null));
          return revision;
        });
  }

  /** A customer managed policy by name. */
  @Transactional(readOnly = true)
  public Optional<Versioned<ManagedPolicy>> policy(String accountId, String name) {
    return sql(() -> read(jdbc.getConnection(), accountId, name));
  }

  // ---- helpers

  private static Optional<Versioned<ManagedPolicy>> read(
      Connection c, String accountId, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT arn FROM managed_policy WHERE account_id = ? AND lower(name) = lower(?)"
                + " AND NOT aws_managed")) {
      ps.setString(1, accountId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return EntityRows.readPolicy(c, accountId, rs.getString(1));
      }
    }
  }

  private static Versioned<ManagedPolicy> existing(Connection c, String accountId, String name)
      throws SQLException {
    return read(c, accountId, name)
        .orElseThrow(
            () -> new StoreException(StoreError.NOT_FOUND, what(name) + " does not exist"));
  }

  private static String addVersion(
      Connection c,
      String accountId,
      ManagedPolicy policy,
      JsonNode document,
      boolean setAsDefault,
      long revision)
      throws SQLException {
    if (policy.versions().size() >= MAX_VERSIONS) {
      throw new StoreException(
          StoreError.LIMIT_EXCEEDED,
          "policy `"
              + policy.name()
              + "` has "
              + MAX_VERSIONS
              + " versions, the most IAM allows: delete a version that is not the default first");
    }
    long policyId = EntityRows.policyId(c, accountId, policy.arn(), "policy");
    String versionId = "v" + (lastVersionNumber(c, policyId) + 1);
    EntityRows.insertVersion(c, policyId, versionId, document, revision);
    if (setAsDefault) {
      setDefault(c, accountId, policy.arn(), versionId, revision);
    } else {
      touch(c, accountId, policy.arn(), revision);
    }
    return versionId;
  }

  private static int lastVersionNumber(Connection c, long policyId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT last_version_number FROM managed_policy WHERE id = ?")) {
      ps.setLong(1, policyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static PolicyVersion version(ManagedPolicy policy, String versionId) {
    return policy.versions().stream()
        .filter(v -> v.versionId().equals(versionId))
        .findFirst()
        .orElseThrow(
            () ->
                new StoreException(
                    StoreError.NOT_FOUND,
                    "policy `" + policy.name() + "` has no version `" + versionId + "`"));
  }

  private static void setDefault(
      Connection c, String accountId, String arn, String versionId, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE managed_policy SET default_version_id = ?, modified_revision = ?"
                + " WHERE account_id = ? AND arn = ?")) {
      ps.setString(1, versionId);
      ps.setLong(2, revision);
      ps.setString(3, accountId);
      ps.setString(4, arn);
      ps.executeUpdate();
    }
  }

  private static void touch(Connection c, String accountId, String arn, long revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE managed_policy SET modified_revision = ? WHERE account_id = ? AND arn = ?")) {
      ps.setLong(1, revision);
      ps.setString(2, accountId);
      ps.setString(3, arn);
      ps.executeUpdate();
    }
  }

  private static long uses(Connection c, String accountId, String arn) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT (SELECT count(*) FROM policy_attachment a WHERE a.policy_id = p.id)"
                + " + (SELECT count(*) FROM iam_user u WHERE u.boundary_policy_id = p.id)"
                + " + (SELECT count(*) FROM iam_role r WHERE r.boundary_policy_id = p.id)"
                + " FROM managed_policy p WHERE p.account_id = ? AND p.arn = ?")) {
      ps.setString(1, accountId);
      ps.setString(2, arn);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void log(
      Connection c,
      long revision,
      String actor,
      String accountId,
      String arn,
      Optional<Versioned<ManagedPolicy>> before)
      throws SQLException {
    ManagedPolicy after = EntityRows.readPolicy(c, accountId, arn).orElseThrow().value();
    ChangeRows.append(
        c,
        new ChangeRows.Change(
            revision,
            actor,
            accountId,
            "policy",
            arn,
            before.isPresent() ? "updated" : "created",
            before.map(b -> EntityRows.toTree(b.value())).orElse(null),
            EntityRows.toTree(after)));
  }

  private static ManagedPolicy current(Connection c, String accountId, String arn)
      throws SQLException {
    return EntityRows.readPolicy(c, accountId, arn).orElseThrow().value();
  }

  private static OptionalLong revisionOf(Optional<Versioned<ManagedPolicy>> p) {
    return p.map(v -> OptionalLong.of(v.revision())).orElse(OptionalLong.empty());
  }

  private static String what(String name) {
    return "policy `" + name + "`";
  }
}
