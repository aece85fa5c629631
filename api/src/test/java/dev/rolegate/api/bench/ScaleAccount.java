package dev.rolegate.api.bench;

import dev.rolegate.persistence.store.Arns;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.flywaydb.core.Flyway;

/**
 * Generates one large AWS account straight into rolegate's PostgreSQL schema, for benchmarks and
 * scale tests: users, groups, roles, customer managed policies with versions, permissions
 * boundaries, inline policies, attachments, instance profiles and SCP levels, written with COPY in
 * one transaction as one write at one new revision (the way an account-wide import is one write).
 * The same seed gives the same account.
 *
 * <p>Going around the service is the point: importing a million statements through the API would
 * take far longer than the benchmarks it feeds, and it is the service's reading of such an account
 * that is measured. {@code ScaleAccountIT} checks that the service reads generated accounts as
 * valid.
 *
 * <pre>
 * java -cp ... dev.rolegate.api.bench.ScaleAccount JDBC_URL ACCOUNT_ID FULL|SMALL [SEED]
 * </pre>
 */
public final class ScaleAccount {
  private ScaleAccount() {}

  /**
   * How large an account to generate. {@code managedPolicies} counts every customer managed policy,
   * of which the first {@code boundaryPolicies} serve as permissions boundaries (never attached).
   * {@code statements} is the target for statements in evaluated documents (default versions and
   * inline policies); about 70% land in managed policies, the rest inline. The actual count comes
   * back in the {@link Summary}: IAM's size limits may leave it slightly below the target.
   */
  public record Shape(
      int users, int groups, int roles, int managedPolicies, int boundaryPolicies, int statements) {
    /** The large account: 100,000 users, 10,000 roles, 20,000 policies, 1M statements. */
    public static final Shape FULL = new Shape(100_000, 2_000, 10_000, 20_000, 20, 1_000_000);

    /** The same proportions at about 1,000 statements: the baseline the large one is held to. */
    public static final Shape SMALL = new Shape(50, 10, 20, 25, 2, 1_000);

    public Shape {
      if (users < 1 || groups < 1 || roles < 1 || statements < 1) {
        throw new IllegalArgumentException("an account needs users, groups, roles and statements");
      }
      if (boundaryPolicies < 1 || managedPolicies <= boundaryPolicies) {
        throw new IllegalArgumentException(
            "needs at least one boundary and more managed policies than boundaries");
      }
    }

    /** {@code FULL} or {@code SMALL}, in any case. */
    public static Shape named(String name) {
      return switch (name.toUpperCase(Locale.ROOT)) {
        case "FULL" -> FULL;
        case "SMALL" -> SMALL;
        default -> throw new IllegalArgumentException("no shape `" + name + "`: FULL or SMALL");
      };
    }
  }

  /**
   * What one generation wrote. {@code statements} = {@code managedStatements} (default versions,
   * boundaries included) + {@code inlineStatements}; trust policies, older versions and SCPs are
   * not counted there but are in {@code policyBytes}, the characters of every JSON document
   * written.
   */
  public record Summary(
      String accountId,
      long revision,
      int users,
      int groups,
      int roles,
      int managedPolicies,
      int policyVersions,
      int inlinePolicies,
      int attachments,
      int memberships,
      int instanceProfiles,
      int serviceControlPolicies,
      long statements,
      long managedStatements,
      long inlineStatements,
      long policyBytes) {}

  /**
   * Writes the account in one transaction on {@code c} and commits it (the connection's auto-commit
   * setting is restored afterwards). Refused when the account exists. Needs the migrated schema:
   * see {@link #migrate}.
   */
  public static Summary write(Connection c, String accountId, Shape shape, long seed)
      throws SQLException {
    if (!accountId.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("an account id is 12 digits, not `" + accountId + "`");
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      // Losing the last moment of a benchmark's data on a crash costs nothing; waiting for the
      // flush of a gigabyte of WAL costs seconds.
      try (var s = c.createStatement()) {
        s.execute("SET LOCAL synchronous_commit = off");
      }
      Summary summary = new AccountWriter(c, accountId, shape, seed).write();
      c.commit();
      return summary;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * Brings the database's schema up to date with the service's own migrations (as the service does
   * at startup), so that a generator can run before any node has started on an empty database.
   */
  public static void migrate(String url, String user, String password) {
    Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** Up to {@code n} distinct user ARNs of the account, chosen by the seed. */
  public static List<String> sampleUserArns(Connection c, String accountId, int n, long seed)
      throws SQLException {
    return sample(
        c,
        "SELECT path, name FROM iam_user WHERE account_id = ? ORDER BY lower(name)",
        accountId,
        n,
        seed,
        "user");
  }

  /** Up to {@code n} distinct role ARNs of the account, chosen by the seed. */
  public static List<String> sampleRoleArns(Connection c, String accountId, int n, long seed)
      throws SQLException {
    return sample(
        c,
        "SELECT path, name FROM iam_role WHERE account_id = ? ORDER BY lower(name)",
        accountId,
        n,
        seed,
        "role");
  }

  /**
   * Up to {@code n} distinct ARNs of roles that are in an instance profile: the roles an associate
   * or replace request would name when it expects no finding about the role.
   */
  public static List<String> sampleInstanceProfileRoleArns(
      Connection c, String accountId, int n, long seed) throws SQLException {
    return sample(
        c,
        "SELECT r.path, r.name FROM iam_role r WHERE r.account_id = ?"
            + " AND EXISTS (SELECT 1 FROM instance_profile p WHERE p.role_id = r.id)"
            + " ORDER BY lower(r.name)",
        accountId,
        n,
        seed,
        "role");
  }

  private static List<String> sample(
      Connection c, String sql, String accountId, int n, long seed, String kind)
      throws SQLException {
    List<String> all = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String path = rs.getString(1);
          String name = rs.getString(2);
          all.add(
              kind.equals("user")
                  ? Arns.user(accountId, path, name)
                  : Arns.role(accountId, path, name));
        }
      }
    }
    // A partial Fisher-Yates shuffle: the first n places are a uniform sample without repeats.
    SplittableRandom r = new SplittableRandom(seed);
    int count = Math.min(n, all.size());
    for (int i = 0; i < count; i++) {
      int j = i + r.nextInt(all.size() - i);
      String swap = all.get(i);
      all.set(i, all.get(j));
      all.set(j, swap);
    }
    return List.copyOf(all.subList(0, count));
  }

  /**
   * {@code JDBC_URL ACCOUNT_ID FULL|SMALL [SEED]}: migrates the schema if needed, generates the
   * account as user {@code postgres} (password from {@code PGPASSWORD}, if any), prints the summary
   * and the time taken.
   */
  public static void main(String[] args) throws SQLException {
    if (args.length < 3 || args.length > 4) {
      System.err.println(
          "usage: ScaleAccount JDBC_URL ACCOUNT_ID FULL|SMALL [SEED]\n"
              + "  e.g. jdbc:postgresql://127.0.0.1:5432/rolegate_scale 900000000001 FULL 42");
      System.exit(2);
    }
    String url = args[0];
    String accountId = args[1];
    Shape shape = Shape.named(args[2]);
    long seed = args.length == 4 ? Long.parseLong(args[3]) : 42;
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    migrate(url, "postgres", password);
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "postgres", password)) {
      Summary summary = write(c, accountId, shape, seed);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.println(summary);
      System.out.printf(Locale.ROOT, "generated account %s in %.1f s%n", accountId, seconds);
    }
  }
}
