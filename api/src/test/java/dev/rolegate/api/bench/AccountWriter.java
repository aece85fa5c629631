package dev.rolegate.api.bench;

import dev.rolegate.api.bench.ScaleAccount.Shape;
import dev.rolegate.api.bench.ScaleAccount.Summary;
import dev.rolegate.api.bench.ScalePolicies.Doc;
import dev.rolegate.api.bench.ScalePolicies.Scp;
import dev.rolegate.api.bench.ScalePolicies.Trust;
import dev.rolegate.engine.parse.PolicyLimits;
import dev.rolegate.persistence.store.Arns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One generation of {@link ScaleAccount}: plans the account's entities, then streams every table
 * with COPY inside the caller's transaction, as one write at one new revision. Rows look like those
 * an import of {@code get-account-authorization-details} leaves: AWS-style unique ids, no
 * descriptions, positions from 0, every {@code modified_revision} (and {@code created_revision})
 * the write's revision, one {@code account} change-log row and its notification.
 *
 * <p>Each part of the account draws from its own random stream split from the seed in a fixed
 * order, so the same seed gives the same account whatever the database's sequences hand out.
 */
final class AccountWriter {
  /** The change log's actor for generated accounts. */
  static final String ACTOR = "scale-account";

  /** The share of statements in managed policies (the rest is inline), as in large accounts. */
  private static final double MANAGED_SHARE = 0.70;

  private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final String[] FIRST = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe",
    "amir", "bianca", "chen", "dmitri", "elena", "fatima", "goran", "hana", "ines", "jamal",
    "kenji", "lars", "maria", "nadia", "oscar", "priya", "quinn", "rosa", "sanjay"
  };
  private static final String[] LAST = {
    "smith", "garcia", "nguyen", "mueller", "rossi", "kowalski", "tanaka", "silva", "ivanova",
    "okafor", "johansson", "dubois", "haddad", "kim", "patel", "oconnor", "novak", "moreau",
    "fischer", "lopez", "andersen", "costa", "yilmaz", "svensson", "wong", "reyes", "schmidt",
    "park", "ahmed", "brown"
  };
  private static final String[] GROUP_FUNCTIONS = {
    "developers", "admins", "readonly", "oncall", "analysts", "deployers", "auditors", "support"
  };
  private static final String[] POLICY_PURPOSES = {
    "S3Access", "DataReadWrite", "Ec2Operations", "InstanceProfileAdmin", "Deploy", "ReadOnly",
    "LogsWriter", "KmsUse", "LambdaInvoke", "PassAppRoles", "QueueConsumer", "Observability"
  };
  private static final String[] APP_SERVICES = {"api", "web", "worker", "cache", "gateway", "etl"};
  private static final String[] ENVIRONMENTS = {"prod", "staging", "dev"};
  private static final String[] USER_INLINE = {
    "AllowTeamBucket", "DevAccess", "PersonalSandbox", "OnCallAccess", "AssumeDeployRole"
  };
  private static final String[] GROUP_INLINE = {"TeamAccess", "SharedTooling", "BreakGlass"};
  private static final String[] ROLE_INLINE = {
    "AppPermissions", "InstanceProfileAccess", "ReadConfig", "WriteLogs", "PassWorkerRoles"
  };

  private record UserPlan(long id, String name, String path, int boundary, String tags) {}

  private record GroupPlan(long id, String name, String path) {}

  private record RolePlan(
      long id,
      String name,
      String path,
      Trust trust,
      int boundary,
      boolean inProfile,
      String tags) {}

  private record PolicyPlan(long id, String name, String path, String arn, int versions) {}

  /** An owner of inline policies: which column, its row id, how many documents, its total limit. */
  private record InlineOwner(String column, long id, int documents, int limit, String[] names) {}

  private final Connection c;
  private final String account;
  private final Shape shape;
  private final SplittableRandom names;
  private final SplittableRandom ids;
  private final SplittableRandom documents;
  private final SplittableRandom links;
  private final SplittableRandom inline;
  private final ScalePolicies policies;

  private final List<PolicyPlan> policyPlans = new ArrayList<>();
  private final List<GroupPlan> groupPlans = new ArrayList<>();
  private final List<UserPlan> userPlans = new ArrayList<>();
  private final List<RolePlan> rolePlans = new ArrayList<>();

  private long revision;
  private int versionRows;
  private int inlineRows;
  private int attachmentRows;
  private int membershipRows;
  private int profileRows;
  private int scpRows;
  private long managedStatements;
  private long inlineStatements;
  private long policyBytes;

  AccountWriter(Connection c, String account, Shape shape, long seed) {
    this.c = c;
    this.account = account;
    this.shape = shape;
    SplittableRandom root = new SplittableRandom(seed);
    this.names = root.split();
    this.ids = root.split();
    this.documents = root.split();
    this.links = root.split();
    this.inline = root.split();
    SplittableRandom vocabulary = root.split();
    planRoles();
    List<String> roleArns = new ArrayList<>(rolePlans.size());
    LinkedHashSet<String> rolePaths = new LinkedHashSet<>();
    for (RolePlan r : rolePlans) {
      roleArns.add(Arns.role(account, r.path(), r.name()));
      rolePaths.add(r.path());
    }
    this.policies = new ScalePolicies(account, roleArns, List.copyOf(rolePaths), vocabulary);
  }

  /** Writes everything; the caller's transaction commits it. */
  Summary write() throws SQLException {
    revision = bumpRevision();
    createAccount();
    assignRoleIds();
    writePolicies();
    writeGroups();
    writeUsers();
    writeRoles();
    writeMemberships();
    writeAttachments();
    writeInlinePolicies();
    writeInstanceProfiles();
    writeServiceControlPolicies();
    logChange();
    return new Summary(
        account,
        revision,
        userPlans.size(),
        groupPlans.size(),
        rolePlans.size(),
        policyPlans.size(),
        versionRows,
        inlineRows,
        attachmentRows,
        membershipRows,
        profileRows,
        scpRows,
        managedStatements + inlineStatements,
        managedStatements,
        inlineStatements,
        policyBytes);
  }

  // ---- the revision, the account, the change log

  /** Takes the store's write lock (the row lock serialises writers) and the write's revision. */
  private long bumpRevision() throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE store_revision SET revision = revision + 1 RETURNING revision");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void createAccount() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM account WHERE account_id = ?")) {
      ps.setString(1, account);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          throw new IllegalStateException(
              "account " + account + " exists already: generate into a fresh account id");
        }
      }
    }
    // The SCP levels are part of this one write, so their ETag is this revision too.
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO account (account_id, modified_revision, scp_revision) VALUES (?, ?, ?)")) {
      ps.setString(1, account);
      ps.setLong(2, revision);
      ps.setLong(3, revision);
      ps.executeUpdate();
    }
  }

  /** The row an account-wide import appends, and the notification that makes nodes reload. */
  private void logChange() throws SQLException {
    String after =
        "{\"users\":"
            + userPlans.size()
            + ",\"groups\":"
            + groupPlans.size()
            + ",\"roles\":"
            + rolePlans.size()
            + ",\"policies\":"
            + policyPlans.size()
            + ",\"instanceProfiles\":"
            + profileRows
            + "}";
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO change_log (revision, actor, account_id, entity_kind, entity_arn, change,"
                + " before, after) VALUES (?, ?, ?, 'account', ?, 'created', NULL, ?::jsonb)")) {
      ps.setLong(1, revision);
      ps.setString(2, ACTOR);
      ps.setString(3, account);
      ps.setString(4, account);
      ps.setString(5, after);
      ps.executeUpdate();
    }
    // Same channel and payload as the service's writes: "revision account kind arn".
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('rolegate_changes', ?)")) {
      ps.setString(1, revision + " " + account + " account " + account);
      ps.execute();
    }
  }

  // ---- managed policies

  private void writePolicies() throws SQLException {
    long[] policyIds = nextIds("managed_policy", shape.managedPolicies());
    for (int i = 0; i < shape.managedPolicies(); i++) {
      String team = ScalePolicies.pick(names, ScalePolicies.TEAMS);
      String name;
      String path;
      int versions;
      if (i < shape.boundaryPolicies()) {
        name = "Boundary-" + capitalized(team) + "-" + (i + 1);
        path = "/boundaries/";
        versions = 1;
      } else {
        name = capitalized(team) + ScalePolicies.pick(names, POLICY_PURPOSES) + "-" + i;
        int k = names.nextInt(100);
        path = k < 50 ? "/" : k < 85 ? "/" + team + "/" : "/platform/";
        k = names.nextInt(100);
        versions = k < 85 ? 1 : k < 95 ? 2 : 3;
      }
      String arn = Arns.customerPolicy(account, path, name);
      policyPlans.add(new PolicyPlan(policyIds[i], name, path, arn, versions));
    }
    try (CopyRows rows =
        CopyRows.into(
            c,
            "managed_policy",
            "id",
            "account_id",
            "arn",
            "name",
            "path",
            "unique_id",
            "aws_managed",
            "default_version_id",
            "modified_revision",
            "last_version_number")) {
      for (PolicyPlan p : policyPlans) {
        rows.number(p.id())
            .text(account)
            .text(p.arn())
            .text(p.name())
            .text(p.path())
            .text(uniqueId("ANPA"))
            .bool(false)
            .text("v" + p.versions())
            .number(revision)
            .number(p.versions())
            .endRow();
      }
      rows.finish();
    }
    writeVersions();
  }

  /**
   * The versions; only the default (the newest, as CreatePolicyVersion with SetAsDefault leaves it)
   * is evaluated and counted. Default documents share the managed target: each draws a heavy-tailed
   * size around what is left per policy, so the total lands near the target while a few policies
   * fill up to IAM's 6,144 characters.
   */
  private void writeVersions() throws SQLException {
    long target = Math.round(shape.statements() * MANAGED_SHARE);
    try (CopyRows rows =
        CopyRows.into(
            c,
            "managed_policy_version",
            "policy_id",
            "version_id",
            "document",
            "created_revision")) {
      for (int i = 0; i < policyPlans.size(); i++) {
        PolicyPlan p = policyPlans.get(i);
        for (int v = 1; v < p.versions(); v++) {
          Doc old =
              policies.identity(
                  documents, 1 + documents.nextInt(6), PolicyLimits.MANAGED_POLICY_VERSION);
          version(rows, p, v, old);
        }
        Doc current;
        if (i < shape.boundaryPolicies()) {
          current = policies.boundary(documents, i);
        } else {
          long left = Math.max(0, target - managedStatements);
          double mean = left / (double) (policyPlans.size() - i);
          current =
              policies.identity(
                  documents,
                  (int) Math.round(mean * heavyTail(documents)),
                  PolicyLimits.MANAGED_POLICY_VERSION);
        }
        managedStatements += current.statements();
        version(rows, p, p.versions(), current);
      }
      versionRows = (int) rows.finish();
    }
  }

  private void version(CopyRows rows, PolicyPlan p, int number, Doc doc) throws SQLException {
    policyBytes += doc.json().length();
    rows.number(p.id()).text("v" + number).text(doc.json()).number(revision).endRow();
  }

  // ---- groups, users, roles

  private void writeGroups() throws SQLException {
    long[] groupIds = nextIds("iam_group", shape.groups());
    for (int i = 0; i < shape.groups(); i++) {
      String team = ScalePolicies.pick(names, ScalePolicies.TEAMS);
      String name = team + "-" + ScalePolicies.pick(names, GROUP_FUNCTIONS) + "-" + i;
      String path = names.nextBoolean() ? "/" : "/teams/" + team + "/";
      groupPlans.add(new GroupPlan(groupIds[i], name, path));
    }
    try (CopyRows rows =
        CopyRows.into(
            c, "iam_group", "id", "account_id", "name", "path", "unique_id", "modified_revision")) {
      for (GroupPlan g : groupPlans) {
        rows.number(g.id())
            .text(account)
            .text(g.name())
            .text(g.path())
            .text(uniqueId("AGPA"))
            .number(revision)
            .endRow();
      }
      rows.finish();
    }
  }

  private void writeUsers() throws SQLException {
    long[] userIds = nextIds("iam_user", shape.users());
    for (int i = 0; i < shape.users(); i++) {
      String team = ScalePolicies.pick(names, ScalePolicies.TEAMS);
      String name =
          ScalePolicies.pick(names, FIRST) + "." + ScalePolicies.pick(names, LAST) + "." + i;
      int k = names.nextInt(100);
      String path =
          k < 30
              ? "/"
              : k < 75
                  ? "/engineering/" + team + "/"
                  : k < 85 ? "/data/" : k < 93 ? "/ops/" : "/contractors/";
      int boundary = names.nextInt(100) < 30 ? names.nextInt(shape.boundaryPolicies()) : -1;
      String tags =
          names.nextInt(100) < 40
              ? "{\"team\":\""
                  + team
                  + "\",\"cost-center\":\"cc-"
                  + (1000 + names.nextInt(400))
                  + "\"}"
              : "{}";
      userPlans.add(new UserPlan(userIds[i], name, path, boundary, tags));
    }
    try (CopyRows rows =
        CopyRows.into(
            c,
            "iam_user",
            "id",
            "account_id",
            "name",
            "path",
            "unique_id",
            "boundary_policy_id",
            "tags",
            "modified_revision")) {
      for (UserPlan u : userPlans) {
        rows.number(u.id())
            .text(account)
            .text(u.name())
            .text(u.path())
            .text(uniqueId("AIDA"))
            .idOrNull(u.boundary() < 0 ? -1 : policyPlans.get(u.boundary()).id())
            .text(u.tags())
            .number(revision)
            .endRow();
      }
      rows.finish();
    }
  }

  /**
   * Roles are planned first, before any row is written: policies name them (PassRole), so the
   * vocabulary needs their ARNs. Most trust EC2; an EC2 role is usually in an instance profile.
   */
  private void planRoles() {
    for (int i = 0; i < shape.roles(); i++) {
      String team = ScalePolicies.pick(names, ScalePolicies.TEAMS);
      int k = names.nextInt(100);
      String name;
      String path;
      Trust trust;
      if (k < 40) {
        name =
            team
                + "-"
                + ScalePolicies.pick(names, APP_SERVICES)
                + "-"
                + ScalePolicies.pick(names, ENVIRONMENTS)
                + "-"
                + i;
        path = "/app/" + team + "/";
        trust = names.nextInt(100) < 90 ? Trust.EC2 : Trust.EC2_AND_SSM;
      } else if (k < 55) {
        name = "EC2-roles-for-" + team + "-" + ScalePolicies.pick(names, APP_SERVICES) + "-" + i;
        path = "/";
        trust = Trust.EC2;
      } else if (k < 67) {
        name = "lambda-" + team + "-handler-" + i;
        path = "/service-role/";
        trust = Trust.LAMBDA;
      } else if (k < 77) {
        name = "batch-" + team + "-worker-" + i;
        path = "/batch/";
        trust = Trust.EC2;
      } else if (k < 87) {
        name = "ecs-task-" + team + "-" + i;
        path = "/ecs/";
        trust = Trust.ECS_TASKS;
      } else if (k < 90) {
        name = "Admin-" + team + "-" + i;
        path = "/admin/";
        trust = Trust.ACCOUNT_WITH_MFA;
      } else {
        name = "deploy-" + team + "-" + i;
        path = "/ci/";
        trust = Trust.ACCOUNT_WITH_MFA;
      }
      boolean ec2 = trust == Trust.EC2 || trust == Trust.EC2_AND_SSM;
      boolean inProfile = names.nextInt(100) < (ec2 ? 70 : 8);
      int boundary =
          names.nextInt(100) < 50 && shape.boundaryPolicies() > 0
              ? names.nextInt(shape.boundaryPolicies())
              : -1;
      String tags =
          names.nextInt(100) < 60
              ? "{\"team\":\""
                  + team
                  + "\",\"env\":\""
                  + ScalePolicies.pick(names, ENVIRONMENTS)
                  + "\"}"
              : "{}";
      rolePlans.add(new RolePlan(-1, name, path, trust, boundary, inProfile, tags));
    }
  }

  private void assignRoleIds() throws SQLException {
    long[] roleIds = nextIds("iam_role", rolePlans.size());
    for (int i = 0; i < rolePlans.size(); i++) {
      RolePlan r = rolePlans.get(i);
      rolePlans.set(
          i,
          new RolePlan(
              roleIds[i], r.name(), r.path(), r.trust(), r.boundary(), r.inProfile(), r.tags()));
    }
  }

  private void writeRoles() throws SQLException {
    try (CopyRows rows =
        CopyRows.into(
            c,
            "iam_role",
            "id",
            "account_id",
            "name",
            "path",
            "unique_id",
            "trust_policy",
            "boundary_policy_id",
            "tags",
            "modified_revision")) {
      for (RolePlan r : rolePlans) {
        String trust = policies.trust(r.trust());
        policyBytes += trust.length();
        rows.number(r.id())
            .text(account)
            .text(r.name())
            .text(r.path())
            .text(uniqueId("AROA"))
            .text(trust)
            .idOrNull(r.boundary() < 0 ? -1 : policyPlans.get(r.boundary()).id())
            .text(r.tags())
            .number(revision)
            .endRow();
      }
      rows.finish();
    }
  }

  private void writeInstanceProfiles() throws SQLException {
    try (CopyRows rows =
        CopyRows.into(
            c,
            "instance_profile",
            "account_id",
            "name",
            "path",
            "unique_id",
            "role_id",
            "modified_revision")) {
      for (RolePlan r : rolePlans) {
        if (r.inProfile()) {
          // The console names a role's profile after the role; so do most templates.
          rows.text(account)
              .text(r.name())
              .text(r.path())
              .text(uniqueId("AIPA"))
              .number(r.id())
              .number(revision)
              .endRow();
        }
      }
      profileRows = (int) rows.finish();
    }
  }

  // ---- memberships and attachments

  /** Each user is in one to three groups; a few large groups hold many of them. */
  private void writeMemberships() throws SQLException {
    try (CopyRows rows = CopyRows.into(c, "group_membership", "group_id", "user_id", "position")) {
      int[] chosen = new int[3];
      for (UserPlan u : userPlans) {
        int count = Math.min(groupPlans.size(), 1 + links.nextInt(3));
        for (int i = 0; i < count; i++) {
          chosen[i] = distinct(chosen, i, groupPlans.size(), links);
          rows.number(groupPlans.get(chosen[i]).id()).number(u.id()).number(i).endRow();
        }
      }
      membershipRows = (int) rows.finish();
    }
  }

  /**
   * Users attach 0 to 2 policies directly, groups 2 to 5, roles 1 to 4, all within IAM's quota of
   * 10. Half the picks favour a popular few (shared baselines), half are spread over all policies.
   * Boundaries are not attached.
   */
  private void writeAttachments() throws SQLException {
    int first = shape.boundaryPolicies();
    int attachable = policyPlans.size() - first;
    try (CopyRows rows =
        CopyRows.into(
            c, "policy_attachment", "policy_id", "user_id", "group_id", "role_id", "position")) {
      int[] chosen = new int[5];
      for (UserPlan u : userPlans) {
        int k = links.nextInt(100);
        attach(rows, 0, u.id(), k < 35 ? 0 : k < 75 ? 1 : 2, chosen, first, attachable);
      }
      for (GroupPlan g : groupPlans) {
        attach(rows, 1, g.id(), 2 + links.nextInt(4), chosen, first, attachable);
      }
      for (RolePlan r : rolePlans) {
        attach(rows, 2, r.id(), 1 + links.nextInt(4), chosen, first, attachable);
      }
      attachmentRows = (int) rows.finish();
    }
  }

  private void attach(
      CopyRows rows, int ownerColumn, long ownerId, int count, int[] chosen, int first, int n)
      throws SQLException {
    count = Math.min(count, n);
    for (int i = 0; i < count; i++) {
      chosen[i] = distinct(chosen, i, n, links);
      rows.number(policyPlans.get(first + chosen[i]).id());
      for (int column = 0; column < 3; column++) {
        rows.idOrNull(column == ownerColumn ? ownerId : -1);
      }
      rows.number(i).endRow();
    }
  }

  /**
   * An index below {@code n} not among the first {@code taken} of {@code chosen}, often a low one.
   */
  private static int distinct(int[] chosen, int taken, int n, SplittableRandom r) {
    while (true) {
      double u = r.nextDouble();
      int pick = r.nextBoolean() ? (int) (n * u * u * u) : (int) (n * u);
      boolean seen = false;
      for (int i = 0; i < taken; i++) {
        seen |= chosen[i] == pick;
      }
      if (!seen) {
        return pick;
      }
    }
  }

  // ---- inline policies

  /**
   * About 30% of users, a quarter of groups and most roles hold inline policies, within IAM's
   * per-entity totals (user 2,048, group 5,120, role 10,240 characters). The inline target is
   * shared in proportion to those limits, so roles hold the larger documents, and each owner's size
   * is drawn heavy-tailed around its share.
   */
  private void writeInlinePolicies() throws SQLException {
    List<InlineOwner> owners = new ArrayList<>();
    for (UserPlan u : userPlans) {
      if (inline.nextInt(100) < 30) {
        owners.add(
            new InlineOwner(
                "user_id",
                u.id(),
                inline.nextInt(100) < 85 ? 1 : 2,
                PolicyLimits.USER_INLINE_TOTAL,
                USER_INLINE));
      }
    }
    for (GroupPlan g : groupPlans) {
      if (inline.nextInt(100) < 25) {
        owners.add(
            new InlineOwner(
                "group_id",
                g.id(),
                1 + inline.nextInt(2),
                PolicyLimits.GROUP_INLINE_TOTAL,
                GROUP_INLINE));
      }
    }
    for (RolePlan r : rolePlans) {
      if (inline.nextInt(100) < 80) {
        owners.add(
            new InlineOwner(
                "role_id",
                r.id(),
                1 + inline.nextInt(3),
                PolicyLimits.ROLE_INLINE_TOTAL,
                ROLE_INLINE));
      }
    }
    long weightLeft = 0;
    for (InlineOwner o : owners) {
      weightLeft += o.limit();
    }
    // Whatever the managed policies could not hold within IAM's limit moves inline.
    long target = shape.statements() - managedStatements;
    try (CopyRows rows =
        CopyRows.into(
            c, "inline_policy", "user_id", "group_id", "role_id", "name", "position", "document")) {
      for (InlineOwner o : owners) {
        long left = Math.max(0, target - inlineStatements);
        double share = left * (o.limit() / (double) weightLeft);
        weightLeft -= o.limit();
        int wanted = (int) Math.round(share * heavyTail(inline));
        int charsLeft = o.limit();
        int offset = inline.nextInt(o.names().length);
        for (int d = 0; d < o.documents(); d++) {
          int docsLeft = o.documents() - d;
          Doc doc =
              policies.identity(inline, Math.max(1, wanted / o.documents()), charsLeft / docsLeft);
          charsLeft -= doc.json().length();
          inlineStatements += doc.statements();
          policyBytes += doc.json().length();
          rows.idOrNull(o.column().equals("user_id") ? o.id() : -1)
              .idOrNull(o.column().equals("group_id") ? o.id() : -1)
              .idOrNull(o.column().equals("role_id") ? o.id() : -1)
              .text(o.names()[(offset + d) % o.names().length])
              .number(d)
              .text(doc.json())
              .endRow();
        }
      }
      inlineRows = (int) rows.finish();
    }
  }

  // ---- service control policies

  private void writeServiceControlPolicies() throws SQLException {
    List<List<Scp>> levels = policies.serviceControl();
    try (CopyRows rows =
        CopyRows.into(
            c, "service_control_policy", "account_id", "level", "position", "name", "document")) {
      for (int level = 0; level < levels.size(); level++) {
        for (int i = 0; i < levels.get(level).size(); i++) {
          Scp scp = levels.get(level).get(i);
          policyBytes += scp.doc().json().length();
          rows.text(account)
              .number(level)
              .number(i)
              .text(scp.name())
              .text(scp.doc().json())
              .endRow();
        }
      }
      scpRows = (int) rows.finish();
    }
  }

  // ---- ids and names

  /**
   * {@code n} fresh ids of the table's bigserial, taken from its sequence: rows written with them
   * can never collide with rows another writer inserts meanwhile, as the sequence hands each value
   * out once.
   */
  private long[] nextIds(String table, int n) throws SQLException {
    long[] out = new long[n];
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)")) {
      ps.setString(1, table);
      ps.setInt(2, n);
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < n; i++) {
          rs.next();
          out[i] = rs.getLong(1);
        }
      }
    }
    return out;
  }

  /** An AWS-style unique id ({@code AIDA} and 17 more characters), drawn from the seed. */
  private String uniqueId(String prefix) {
    char[] id = new char[prefix.length() + 17];
    prefix.getChars(0, prefix.length(), id, 0);
    for (int i = prefix.length(); i < id.length; i++) {
      id[i] = ID_CHARS[ids.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }

  /** A log-normal factor with mean 1: most documents near the mean, a few several times it. */
  private static double heavyTail(SplittableRandom r) {
    double sigma = 0.6;
    return Math.exp(sigma * r.nextGaussian() - sigma * sigma / 2);
  }

  private static String capitalized(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
