package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.api.bench.ScaleAccount;
import dev.rolegate.api.bench.ScaleAccount.Shape;
import dev.rolegate.api.bench.ScaleAccount.Summary;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.DemoAccount;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.api.testing.TestDatabase;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyLimits;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale generator's account as the service reads it: {@link Shape#SMALL} written straight into
 * the database of a running node that already holds another (imported) account, then read back
 * through the HTTP API and the engine's parser. Every generated document must be valid and within
 * IAM's limits, the summary must count what the tables hold, and the node must pick the write up
 * from its notification like any other write.
 */
class ScaleAccountIT {
  static final String ACCOUNT = "910000000001";
  static final long SEED = 7;
  static final ObjectMapper JSON = new ObjectMapper();

  static TestDatabase.Database database;
  static RunningService service;
  static Api api;
  static Summary summary;

  @BeforeAll
  static void generate() throws IOException, SQLException {
    database = TestDatabase.create();
    service = RunningService.startOn(database, Map.of());
    api = service.api();
    // Rows the service wrote itself come first, so the generator's ids must fit around them.
    DemoAccount.importInto(api);
    try (Connection c = connect()) {
      summary = ScaleAccount.write(c, ACCOUNT, Shape.SMALL, SEED);
    }
    assertTrue(
        service
            .context()
            .getBean(PolicySnapshots.class)
            .await(summary.revision(), Duration.ofSeconds(10)),
        "the node did not apply the generated revision");
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void summaryCountsWhatTheTablesHold() {
    String owned = " WHERE account_id = '" + ACCOUNT + "'";
    assertEquals(summary.users(), service.count("SELECT count(*) FROM iam_user" + owned));
    assertEquals(summary.groups(), service.count("SELECT count(*) FROM iam_group" + owned));
    assertEquals(summary.roles(), service.count("SELECT count(*) FROM iam_role" + owned));
    assertEquals(
        summary.managedPolicies(), service.count("SELECT count(*) FROM managed_policy" + owned));
    assertEquals(
        summary.instanceProfiles(), service.count("SELECT count(*) FROM instance_profile" + owned));
    assertEquals(
        summary.serviceControlPolicies(),
        service.count("SELECT count(*) FROM service_control_policy" + owned));
    assertEquals(
        summary.policyVersions(),
        service.count(
            "SELECT count(*) FROM managed_policy_version v JOIN managed_policy p"
                + " ON p.id = v.policy_id WHERE p.account_id = '"
                + ACCOUNT
                + "'"));
    assertEquals(
        summary.memberships(),
        service.count(
            "SELECT count(*) FROM group_membership m JOIN iam_user u ON u.id = m.user_id"
                + " WHERE u.account_id = '"
                + ACCOUNT
                + "'"));
    assertEquals(summary.inlinePolicies(), ownedRows("inline_policy"));
    assertEquals(summary.attachments(), ownedRows("policy_attachment"));

    // The proportions of the shape: every user in a group, about half the roles in a profile.
    Shape shape = Shape.SMALL;
    assertEquals(shape.users(), summary.users());
    assertEquals(shape.managedPolicies(), summary.managedPolicies());
    assertTrue(summary.memberships() >= summary.users(), summary::toString);
    assertTrue(summary.instanceProfiles() > 0, summary::toString);
    assertTrue(summary.instanceProfiles() < summary.roles(), summary::toString);
    assertTrue(summary.policyVersions() >= summary.managedPolicies(), summary::toString);
    assertTrue(summary.serviceControlPolicies() >= 4, summary::toString);
    assertTrue(
        Math.abs(summary.statements() - shape.statements()) < shape.statements() / 10,
        summary::toString);
  }

  @Test
  void theGenerationIsOneWriteAtOneRevisionLikeAnImport() {
    assertEquals(
        summary.revision(),
        service.count("SELECT max(revision) FROM change_log WHERE account_id = '" + ACCOUNT + "'"));
    String at = " WHERE revision = " + summary.revision();
    assertEquals(1, service.count("SELECT count(*) FROM change_log" + at));
    assertEquals(
        1,
        service.count(
            "SELECT count(*) FROM change_log"
                + at
                + " AND account_id = '"
                + ACCOUNT
                + "' AND entity_kind = 'account' AND entity_arn = '"
                + ACCOUNT
                + "' AND change = 'created' AND before IS NULL"
                + " AND (after->>'users')::int = "
                + summary.users()));
    assertEquals(
        0,
        service.count(
            "SELECT count(*) FROM iam_user WHERE account_id = '"
                + ACCOUNT
                + "' AND modified_revision <> "
                + summary.revision()));
    assertEquals(
        1,
        service.count(
            "SELECT count(*) FROM account WHERE account_id = '"
                + ACCOUNT
                + "' AND modified_revision = "
                + summary.revision()
                + " AND scp_revision = "
                + summary.revision()));
  }

  @Test
  void everyDocumentParsesWithinIamLimitsAndTheStatementsAddUp() throws Exception {
    long statements = 0;
    long bytes = 0;
    try (Connection c = connect()) {
      for (Object[] row :
          rows(
              c,
              "SELECT p.name, v.document::text, v.version_id = p.default_version_id,"
                  + " p.path = '/boundaries/' FROM managed_policy_version v"
                  + " JOIN managed_policy p ON p.id = v.policy_id WHERE p.account_id = ?")) {
        String text = (String) row[1];
        bytes += compact(text).length();
        assertTrue(
            compact(text).length() <= PolicyLimits.MANAGED_POLICY_VERSION, () -> row[0] + "");
        boolean boundary = (Boolean) row[3];
        int n =
            statements(
                text, boundary ? PolicyKind.PERMISSIONS_BOUNDARY : PolicyKind.IDENTITY, row[0]);
        if ((Boolean) row[2]) {
          statements += n;
        }
      }
      Map<String, Integer> inlineSizes = new HashMap<>();
      for (Object[] row :
          rows(
              c,
              "SELECT coalesce('user/' || x.user_id, 'group/' || x.group_id, 'role/' || x.role_id),"
                  + " x.document::text FROM inline_policy x"
                  + " LEFT JOIN iam_user u ON u.id = x.user_id"
                  + " LEFT JOIN iam_group g ON g.id = x.group_id"
                  + " LEFT JOIN iam_role r ON r.id = x.role_id"
                  + " WHERE coalesce(u.account_id, g.account_id, r.account_id) = ?")) {
        String text = (String) row[1];
        bytes += compact(text).length();
        statements += statements(text, PolicyKind.IDENTITY, row[0]);
        inlineSizes.merge((String) row[0], compact(text).length(), Integer::sum);
      }
      inlineSizes.forEach(
          (owner, size) -> {
            int limit =
                owner.startsWith("user/")
                    ? PolicyLimits.USER_INLINE_TOTAL
                    : owner.startsWith("group/")
                        ? PolicyLimits.GROUP_INLINE_TOTAL
                        : PolicyLimits.ROLE_INLINE_TOTAL;
            assertTrue(size <= limit, () -> owner + " holds " + size + " characters inline");
          });
      for (Object[] row :
          rows(c, "SELECT name, trust_policy::text FROM iam_role WHERE account_id = ?")) {
        String text = (String) row[1];
        bytes += compact(text).length();
        assertTrue(compact(text).length() <= PolicyLimits.TRUST_POLICY, () -> row[0] + "");
        statements(text, PolicyKind.TRUST, row[0]);
      }
      for (Object[] row :
          rows(c, "SELECT name, document::text FROM service_control_policy WHERE account_id = ?")) {
        bytes += compact((String) row[1]).length();
        statements((String) row[1], PolicyKind.SERVICE_CONTROL, row[0]);
      }
    }
    assertEquals(summary.statements(), statements);
    assertEquals(summary.managedStatements() + summary.inlineStatements(), statements);
    assertEquals(summary.policyBytes(), bytes);
  }

  @Test
  void sampledEntitiesReadBackThroughTheApi() throws Exception {
    try (Connection c = connect()) {
      for (String arn : ScaleAccount.sampleUserArns(c, ACCOUNT, 5, 1)) {
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        Response r = api.get("/v1/accounts/" + ACCOUNT + "/users/" + name);
        assertEquals(200, r.status(), r::toString);
        assertEquals(arn, r.json().get("arn").asText());
        assertEquals(summary.revision(), r.json().get("revision").asLong());
        assertEquals(
            strings(
                c,
                "SELECT p.arn FROM policy_attachment a JOIN managed_policy p ON p.id = a.policy_id"
                    + " JOIN iam_user u ON u.id = a.user_id"
                    + " WHERE u.account_id = ? AND u.name = ? ORDER BY a.position",
                name),
            texts(r.json().get("attachedPolicies")));
        assertEquals(
            strings(
                c,
                "SELECT g.name FROM group_membership m JOIN iam_group g ON g.id = m.group_id"
                    + " JOIN iam_user u ON u.id = m.user_id"
                    + " WHERE u.account_id = ? AND u.name = ? ORDER BY m.position",
                name),
            texts(r.json().get("groups")));
        assertFalse(r.json().get("groups").isEmpty(), r::toString);
        assertInlineAsStored(c, "iam_user", "user_id", name, r.json());
      }
      for (String arn : ScaleAccount.sampleRoleArns(c, ACCOUNT, 5, 2)) {
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        Response r = api.get("/v1/accounts/" + ACCOUNT + "/roles/" + name);
        assertEquals(200, r.status(), r::toString);
        assertEquals(arn, r.json().get("arn").asText());
        assertEquals(
            JSON.readTree(
                strings(
                        c,
                        "SELECT trust_policy::text FROM iam_role WHERE account_id = ? AND name = ?",
                        name)
                    .get(0)),
            r.json().get("trustPolicy"));
        assertFalse(r.json().get("attachedPolicies").isEmpty(), r::toString);
        assertInlineAsStored(c, "iam_role", "role_id", name, r.json());
      }
      for (String name :
          strings(
              c,
              "SELECT name FROM managed_policy WHERE account_id = ? ORDER BY md5(name) LIMIT 6",
              null)) {
        Response r = api.get("/v1/accounts/" + ACCOUNT + "/policies/" + name);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().get("known").asBoolean(), r::toString);
        String defaultVersion = r.json().get("defaultVersionId").asText();
        JsonNode stored =
            JSON.readTree(
                strings(
                        c,
                        "SELECT v.document::text FROM managed_policy_version v"
                            + " JOIN managed_policy p ON p.id = v.policy_id"
                            + " AND v.version_id = p.default_version_id"
                            + " WHERE p.account_id = ? AND p.name = ?",
                        name)
                    .get(0));
        for (JsonNode v : r.json().get("versions")) {
          if (v.get("versionId").asText().equals(defaultVersion)) {
            assertTrue(v.get("isDefault").asBoolean());
            assertEquals(stored, v.get("document"));
          }
        }
      }
    }
  }

  @Test
  void decisionsForSampledPrincipalsFindNoInvalidPolicy() throws SQLException {
    List<String> principals = new ArrayList<>();
    List<String> roles;
    try (Connection c = connect()) {
      principals.addAll(ScaleAccount.sampleUserArns(c, ACCOUNT, 8, 3));
      for (String role : ScaleAccount.sampleRoleArns(c, ACCOUNT, 4, 4)) {
        String name = role.substring(role.lastIndexOf('/') + 1);
        principals.add("arn:aws:sts::" + ACCOUNT + ":assumed-role/" + name + "/scale-it");
      }
      roles = ScaleAccount.sampleInstanceProfileRoleArns(c, ACCOUNT, principals.size(), 5);
    }
    assertFalse(roles.isEmpty());
    for (int i = 0; i < principals.size(); i++) {
      String body =
          "{\"principal\":\""
              + principals.get(i)
              + "\",\"operation\":\"associate\",\"instanceArn\":\"arn:aws:ec2:us-east-1:"
              + ACCOUNT
              + ":instance/i-0123456789abcdef0\",\"roleArn\":\""
              + roles.get(i % roles.size())
              + "\",\"context\":{\"aws:SourceIp\":\"203.0.113.7\"}}";
      Response r = api.post("/v1/decisions/instance-profile", body);
      assertEquals(200, r.status(), r::toString);
      assertTrue(r.json().get("revision").asLong() >= summary.revision(), r::toString);
      assertEquals(2, r.json().get("checks").size(), r::toString);
      for (JsonNode finding : r.json().get("findings")) {
        assertFalse(
            finding.get("code").asText().endsWith("_invalid")
                || finding.get("code").asText().endsWith("_unknown"),
            r::toString);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameAccount() throws SQLException {
    String twin = "910000000002";
    try (Connection c = connect()) {
      Summary again = ScaleAccount.write(c, twin, Shape.SMALL, SEED);
      assertEquals(summary.policyBytes(), again.policyBytes());
      assertEquals(summary.statements(), again.statements());
      String users =
          "SELECT string_agg(u.name || u.path || u.unique_id || u.tags::text, ','"
              + " ORDER BY u.name) FROM iam_user u WHERE u.account_id = ?";
      assertEquals(strings(c, users, null, ACCOUNT), strings(c, users, null, twin));
      // Documents name the account's own ARNs: compared with the account id taken out.
      String inline =
          "SELECT md5(string_agg(x.name || x.position"
              + " || replace(x.document::text, r.account_id, 'ACCOUNT'), ','"
              + " ORDER BY r.name, x.position)) FROM inline_policy x"
              + " JOIN iam_role r ON r.id = x.role_id WHERE r.account_id = ?";
      assertEquals(strings(c, inline, null, ACCOUNT), strings(c, inline, null, twin));
    }
  }

  @Test
  void anExistingAccountIsRefusedAndNothingIsWritten() throws SQLException {
    long revision = service.count("SELECT revision FROM store_revision");
    long users = service.count("SELECT count(*) FROM iam_user");
    try (Connection c = connect()) {
      assertThrows(
          IllegalStateException.class, () -> ScaleAccount.write(c, ACCOUNT, Shape.SMALL, 99));
    }
    assertEquals(revision, service.count("SELECT revision FROM store_revision"));
    assertEquals(users, service.count("SELECT count(*) FROM iam_user"));
  }

  // ---- helpers

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  /** Rows of inline policies or attachments whose owner is in the account. */
  static long ownedRows(String table) {
    return service.count(
        "SELECT count(*) FROM "
            + table
            + " x LEFT JOIN iam_user u ON u.id = x.user_id"
            + " LEFT JOIN iam_group g ON g.id = x.group_id"
            + " LEFT JOIN iam_role r ON r.id = x.role_id"
            + " WHERE coalesce(u.account_id, g.account_id, r.account_id) = '"
            + ACCOUNT
            + "'");
  }

  /** The number of statements of a document that must parse. */
  static int statements(String text, PolicyKind kind, Object what) throws IOException {
    ParseResult result = PolicyParser.parse(JSON.readTree(text), kind);
    if (result instanceof ParseResult.Parsed parsed) {
      return parsed.document().statements().size();
    }
    throw new AssertionError(what + " does not parse as " + kind + ": " + result);
  }

  /** The text without whitespace, as IAM counts a document's size. */
  static String compact(String json) throws IOException {
    return JSON.writeValueAsString(JSON.readTree(json));
  }

  static void assertInlineAsStored(
      Connection c, String table, String column, String name, JsonNode entity) throws Exception {
    JsonNode inline = entity.get("inlinePolicies");
    List<String> names = new ArrayList<>();
    inline.fieldNames().forEachRemaining(names::add);
    String sql =
        "SELECT x.name FROM inline_policy x JOIN "
            + table
            + " e ON e.id = x."
            + column
            + " WHERE e.account_id = ? AND e.name = ? ORDER BY x.position";
    assertEquals(strings(c, sql, name), names);
    for (String policy : names) {
      String document =
          strings(
                  c,
                  "SELECT x.document::text FROM inline_policy x JOIN "
                      + table
                      + " e ON e.id = x."
                      + column
                      + " WHERE e.account_id = ? AND e.name = ? AND x.name = '"
                      + policy
                      + "'",
                  name)
              .get(0);
      assertEquals(JSON.readTree(document), inline.get(policy));
    }
  }

  static List<Object[]> rows(Connection c, String sql) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ACCOUNT);
      try (ResultSet rs = ps.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = rs.getObject(i + 1);
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  /** The first column of a query whose parameters are the account and, when given, a name. */
  static List<String> strings(Connection c, String sql, String name) throws SQLException {
    return strings(c, sql, name, ACCOUNT);
  }

  static List<String> strings(Connection c, String sql, String name, String account)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, account);
      if (name != null) {
        ps.setString(2, name);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
