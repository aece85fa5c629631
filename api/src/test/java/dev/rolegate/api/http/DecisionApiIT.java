package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.DemoAccount;
import dev.rolegate.api.testing.RunningService;
import io.micronaut.jdbc.DataSourceResolver;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

/**
 * The quickstart over HTTP: the demo account imported, then an allowed attach, a denied attach with
 * its remedy, a detach, OPA clients, and the history of what was decided.
 */
class DecisionApiIT {
  static final String ALICE = "arn:aws:iam::111122223333:user/platform/alice";
  static final String INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
  static final String WEB_ROLE = "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web";
  static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/Admin";

  static RunningService service;
  static Api api;

  @BeforeAll
  static void start() throws IOException {
    service = RunningService.start();
    api = service.api();
    DemoAccount.importInto(api);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static String request(String operation, String role) {
    return "{\"principal\":\""
        + ALICE
        + "\",\"operation\":\""
        + operation
        + "\",\"instanceArn\":\""
        + INSTANCE
        + "\""
        + (role == null ? "" : ",\"roleArn\":\"" + role + "\"")
        + "}";
  }

  @Test
  void platformEngineerMayAttachAnXyzRole() {
    Response r = api.post("/v1/decisions/instance-profile", request("associate", WEB_ROLE));
    assertEquals(200, r.status(), r::toString);
    assertTrue(r.json().get("allowed").asBoolean());
    assertEquals("allowed", r.json().get("decision").asText());
    assertEquals(2, r.json().get("checks").size());
    assertEquals("iam:PassRole", r.json().get("checks").get(1).get("action").asText());
    assertTrue(r.json().get("revision").asLong() >= 1);
    assertFalse(r.json().has("remedy"));
  }

  /**
   * A store written by a rolegate that still took a wildcard in an action's service prefix (IAM
   * refuses it, and so does a write now: BadInputIT) keeps such a policy in force when a node loads
   * it: a Deny of {@code *:*} left out would allow what it denied.
   */
  @Test
  void aStoredPolicyWithAWildcardServiceKeepsDenying() throws SQLException {
    try (RunningService first = RunningService.start()) {
      DemoAccount.importInto(first.api());
      try (Connection c = first.connect();
          var insert =
              c.prepareStatement(
                  "INSERT INTO inline_policy (user_id, name, position, document) SELECT id,"
                      + " 'DenyEverything', 99, ?::jsonb FROM iam_user WHERE name = 'alice'")) {
        insert.setString(
            1,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Action\":\"*:*\",\"Resource\":\"*\"}]}");
        assertEquals(1, insert.executeUpdate());
      }
      try (RunningService second = first.another()) {
        Response r =
            second.api().post("/v1/decisions/instance-profile", request("associate", WEB_ROLE));
        assertEquals(200, r.status(), r::toString);
        assertEquals("explicitDeny", r.json().get("decision").asText(), r::toString);
      }
    }
  }

  @Test
  void attachingAdminIsDeniedWithTheScopedPassRoleAsRemedy() {
    Response r = api.post("/v1/decisions/instance-profile", request("associate", ADMIN_ROLE));
    assertEquals(200, r.status(), r::toString);
    assertFalse(r.json().get("allowed").asBoolean());
    assertEquals("implicitDeny", r.json().get("decision").asText());
    JsonNode statement = r.json().at("/remedy/Statement/0");
    assertEquals("iam:PassRole", statement.get("Action").asText());
    assertEquals(ADMIN_ROLE, statement.get("Resource").asText());
    assertEquals(
        "ec2.amazonaws.com", statement.at("/Condition/StringEquals/iam:PassedToService").asText());
    Set<String> findings = new HashSet<>();
    r.json().get("findings").forEach(f -> findings.add(f.get("code").asText()));
    assertTrue(findings.contains("role_in_no_instance_profile"), findings::toString);
  }

  /**
   * A role of another account, which the node holds as it holds the caller (the principal and the
   * role are then looked up in two accounts' entries): the same answer every time, with the role's
   * facts, the finding that it cannot be passed, and the node's revision.
   */
  @Test
  void aRoleOfAnotherAccountIsAnsweredTheSameOnceHeld() {
    String other = "/v1/accounts/444455556666";
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    Response put = api.put(other + "/roles/shared", "{\"trustPolicy\":" + trust + "}");
    assertEquals(200, put.status(), put::toString);
    String role = "arn:aws:iam::444455556666:role/shared";
    JsonNode first = null;
    for (int i = 0; i < 3; i++) {
      Response r = api.post("/v1/decisions/instance-profile", request("associate", role));
      assertEquals(200, r.status(), r::toString);
      Set<String> findings = new HashSet<>();
      r.json().get("findings").forEach(f -> findings.add(f.get("code").asText()));
      assertTrue(findings.contains("role_in_other_account"), findings::toString);
      assertTrue(findings.contains("role_in_no_instance_profile"), findings::toString);
      assertFalse(findings.contains("role_unknown"), findings::toString);
      assertTrue(r.json().get("revision").asLong() >= put.json().get("revision").asLong());
      JsonNode answer = r.json().deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) answer).remove("decisionId");
      if (first == null) {
        first = answer;
      } else {
        assertEquals(first, answer);
      }
    }
    assertTrue(api.get("/v1/status").json().at("/held/roles").asLong() >= 1);
  }

  @Test
  void detachNeedsNoRole() {
    Response r = api.post("/v1/decisions/instance-profile", request("disassociate", null));
    assertEquals(200, r.status(), r::toString);
    assertTrue(r.json().get("allowed").asBoolean());
    assertEquals(1, r.json().get("checks").size());
  }

  @Test
  void everyAnsweredDecisionCanBeLookedUpById() {
    Response decided = api.post("/v1/decisions/instance-profile", request("replace", ADMIN_ROLE));
    String id = decided.json().get("decisionId").asText();
    Response found = api.get("/v1/decisions/" + id);
    assertEquals(200, found.status(), found::toString);
    assertEquals(id, found.json().get("decisionId").asText());
    assertEquals("bootstrap", found.json().get("caller").asText());
    // Named after the host when ROLEGATE_NODE_NAME is not set (MultiNodeIT sets it).
    assertFalse(found.json().get("node").asText().isBlank(), found::toString);
    assertEquals(decided.json(), found.json().get("answer"));
    assertEquals(ADMIN_ROLE, found.json().at("/request/roleArn").asText());
    // The log keeps the very text received and sent, not a normalised form of it.
    assertEquals(
        1,
        service.count(
            "SELECT count(*) FROM decision_log WHERE request::text = "
                + literal(request("replace", ADMIN_ROLE))
                + " AND answer::text = "
                + literal(decided.raw().body())));
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /**
   * Where the server has lz4, the log's request and answer columns use it (migration V5), in every
   * partition: those that existed when it ran (the default one) and those made since.
   */
  @Test
  void theLogCompressesWithLz4WhereTheServerHasIt() {
    long lz4 =
        service.count(
            "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression'"
                + " AND 'lz4' = ANY (enumvals)");
    long partitions =
        service.count(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'decision_log'::regclass");
    long columnsWithLz4 =
        service.count(
            "SELECT count(*) FROM pg_attribute a JOIN pg_inherits i ON a.attrelid = i.inhrelid"
                + " WHERE i.inhparent = 'decision_log'::regclass"
                + " AND a.attname IN ('request', 'answer') AND a.attcompression = 'l'");
    assertTrue(partitions >= 2, "the default partition and the monthly ones");
    assertEquals(lz4 == 1 ? 2 * partitions : 0, columnsWithLz4);
  }

  /** Audit batches reach PostgreSQL as multi-row INSERTs, the cheaper form (see the README). */
  @Test
  void batchesAreSentAsMultiRowInserts() throws SQLException {
    DataSource pool =
        service
            .context()
            .getBean(DataSourceResolver.class)
            .resolve(service.context().getBean(DataSource.class));
    try (Connection c = pool.getConnection()) {
      assertTrue(
          c.unwrap(BaseConnection.class).getQueryExecutor().isReWriteBatchedInsertsEnabled());
    }
  }

  @Test
  void historyFiltersAndPagesNewestFirst() {
    String role = "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-batch";
    for (int i = 0; i < 5; i++) {
      assertEquals(
          200, api.post("/v1/decisions/instance-profile", request("associate", role)).status());
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    String previous = null;
    do {
      Response page =
          api.get(
              "/v1/decisions?roleArn="
                  + role
                  + "&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, page.status(), page::toString);
      for (JsonNode d : page.json().get("decisions")) {
        assertEquals(role, d.get("roleArn").asText());
        assertTrue(seen.add(d.get("decisionId").asText()), "a decision came twice");
        String at = d.get("decidedAt").asText() + d.get("decisionId").asText();
        assertTrue(previous == null || at.compareTo(previous) < 0, "not newest first");
        previous = at;
      }
      cursor =
          page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
    } while (cursor != null);
    assertEquals(5, seen.size());
    Response allowedOnly = api.get("/v1/decisions?decision=allowed&principal=" + ALICE);
    allowedOnly
        .json()
        .get("decisions")
        .forEach(d -> assertEquals("allowed", d.get("decision").asText()));
  }

  /**
   * IAM takes resource ARNs shorter than six parts, such as `arn:aws:logs:*`, and a closing `*`
   * reaches past colons: a store holding them is written, loaded and decided on like any other.
   */
  @Test
  void shortResourceArnsWithAClosingStarAreStoredAndCoverTheRest() {
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"ec2:AssociateIamInstanceProfile\","
            + "\"Resource\":\"arn:aws:ec2:*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\","
            + "\"Resource\":\"arn:aws:iam::*\"}]}";
    Response written =
        api.put(
            "/v1/accounts/111122223333/users/short-arns",
            "{\"inlinePolicies\":{\"Short\":" + policy + "}}");
    assertEquals(200, written.status(), written::toString);
    Response answer =
        api.post(
            "/v1/decisions/instance-profile",
            "{\"principal\":\"arn:aws:iam::111122223333:user/short-arns\","
                + "\"operation\":\"associate\",\"instanceArn\":\""
                + INSTANCE
                + "\",\"roleArn\":\"arn:aws:iam::111122223333:role/Admin\","
                + "\"minRevision\":"
                + written.json().get("revision").asLong()
                + "}");
    assertEquals(200, answer.status(), answer::toString);
    for (JsonNode check : answer.json().get("checks")) {
      assertEquals("allowed", check.get("decision").asText(), answer::toString);
    }
  }

  @Test
  void historyTimeRangesIncludeFromAndExcludeTo() {
    Response answer =
        api.post(
            "/v1/decisions/instance-profile",
            request("associate", "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-range"));
    String id = answer.json().get("decisionId").asText();
    Instant at = Instant.parse(api.get("/v1/decisions/" + id).json().get("decidedAt").asText());
    String range = "/v1/decisions?roleArn=arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-range";
    Response within = api.get(range + "&from=" + at + "&to=" + at.plusSeconds(1));
    assertEquals(1, within.json().get("decisions").size(), within::toString);
    Response before = api.get(range + "&from=" + at.minusSeconds(1) + "&to=" + at);
    assertEquals(0, before.json().get("decisions").size(), before::toString);
    // Bounds finer than the log's microseconds compare as given: a nanosecond after the decision
    // leaves it before `from` and before `to`.
    Instant nanoAfter = at.plusNanos(1);
    Response fromAfter = api.get(range + "&from=" + nanoAfter + "&to=" + at.plusSeconds(1));
    assertEquals(0, fromAfter.json().get("decisions").size(), fromAfter::toString);
    Response toAfter = api.get(range + "&from=" + at.minusSeconds(1) + "&to=" + nanoAfter);
    assertEquals(1, toAfter.json().get("decisions").size(), toAfter::toString);

    // Swapped or empty ranges are refused, not answered with "no decisions".
    for (String swapped :
        List.of("&from=" + at.plusSeconds(1) + "&to=" + at, "&from=" + at + "&to=" + at)) {
      Response refused = api.get(range + swapped);
      assertEquals(400, refused.status(), refused::toString);
      assertEquals("invalid_parameter", refused.json().get("code").asText());
      assertTrue(
          refused.json().get("message").asText().contains("must be before `to`"),
          refused::toString);
    }
  }

  @Test
  void opaClientsGetAResult() {
    Response allow =
        api.post(
            "/v1/data/rolegate/instance_profile/allow?pretty=true&metrics&provenance=true&explain=full&instrument=false&strict-builtin-errors=true",
            "{\"input\":" + request("associate", WEB_ROLE) + "}");
    assertEquals(200, allow.status(), allow::toString);
    assertTrue(allow.json().get("result").asBoolean());
    assertTrue(allow.json().has("decision_id"));
    assertTrue(allow.json().has("metrics"));
    assertEquals("allowed", allow.json().at("/explanation/decision").asText());
    Response full =
        api.post(
            "/v1/data/rolegate/instance_profile",
            "{\"input\":" + request("associate", ADMIN_ROLE) + "}");
    assertEquals(200, full.status(), full::toString);
    assertEquals("implicitDeny", full.json().at("/result/decision").asText());
    assertEquals(full.json().get("decision_id"), full.json().at("/result/decisionId"));
  }

  /**
   * OPA's own examples post with `curl -d`, which declares the body a form: OPA reads it as JSON,
   * and so does rolegate, keeping the body as sent (a `+` stays a `+`).
   */
  @Test
  void opaClientsMayPostJsonDeclaredAsAFormOrAsText() {
    String body =
        "{\"input\":{\"principal\":\""
            + ALICE
            + "\",\"operation\":\"disassociate\",\"instanceArn\":\""
            + INSTANCE
            + "\",\"context\":{\"aws:SourceIp\":\"203.0.113.7+1\"}}}";
    for (String type : List.of("application/x-www-form-urlencoded", "text/plain")) {
      Response r =
          api.send(
              "POST",
              "/v1/data/rolegate/instance_profile/allow",
              body,
              Map.of("Content-Type", type));
      assertEquals(200, r.status(), r::toString);
      assertTrue(r.json().get("result").asBoolean(), r::toString);
      Response logged = api.get("/v1/decisions/" + r.json().get("decision_id").asText());
      assertEquals("203.0.113.7+1", logged.json().at("/request/context/aws:SourceIp").asText());
    }
    Response batch =
        api.send(
            "POST",
            "/v1/batch/data/rolegate/instance_profile/allow",
            "{\"inputs\":{\"a\":" + request("disassociate", null) + "}}",
            Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertEquals(200, batch.status(), batch::toString);
    // The native API stays strict: its clients send JSON as JSON.
    Response nativeForm =
        api.send(
            "POST",
            "/v1/decisions/instance-profile",
            request("disassociate", null),
            Map.of("Content-Type", "application/x-www-form-urlencoded"));
    assertEquals(415, nativeForm.status(), nativeForm::toString);
  }

  /** OPA's GET form: the input as URL-encoded JSON in the `input` query parameter. */
  @Test
  void opaClientsMayAskByGetWithTheInputInTheQuery() {
    String input = URLEncoder.encode(request("associate", WEB_ROLE), StandardCharsets.UTF_8);
    Response allow = api.get("/v1/data/rolegate/instance_profile/allow?provenance&input=" + input);
    assertEquals(200, allow.status(), allow::toString);
    assertTrue(allow.json().get("result").asBoolean(), allow::toString);
    assertTrue(allow.json().at("/provenance/revision").asLong() >= 1, allow::toString);
    Response logged = api.get("/v1/decisions/" + allow.json().get("decision_id").asText());
    assertEquals(200, logged.status(), logged::toString);
    assertEquals(WEB_ROLE, logged.json().at("/request/roleArn").asText());

    String denied = URLEncoder.encode(request("associate", ADMIN_ROLE), StandardCharsets.UTF_8);
    Response full = api.get("/v1/data/rolegate/instance_profile?input=" + denied);
    assertEquals(200, full.status(), full::toString);
    assertEquals("implicitDeny", full.json().at("/result/decision").asText());

    String base = "/v1/data/rolegate/instance_profile/allow";
    for (String[] bad :
        new String[][] {
          {"", "`input` is required"},
          {"?input=", "`input` is empty"},
          {"?input=%7B%22principal%22", "`input` is not valid JSON"},
          {"?input=%5B%5D", "must be a JSON object"},
          {"?input=" + input + "&input=" + input, "give `input` once"},
          {"?input=" + input + "&watch=true", "unknown query parameter `watch`"}
        }) {
      Response r = api.get(base + bad[0]);
      assertEquals(400, r.status(), r::toString);
      assertEquals("invalid_parameter", r.code(), r::toString);
      assertTrue(r.json().get("message").asText().contains(bad[1]), r::toString);
    }
    Response invalid =
        api.get(
            base
                + "?input="
                + URLEncoder.encode(request("associate", null), StandardCharsets.UTF_8));
    assertEquals(400, invalid.status(), invalid::toString);
    assertEquals("input.roleArn", invalid.json().get("path").asText(), invalid::toString);
    // A POST still takes its input from the body only.
    Response posted =
        api.post(base + "?input=" + input, "{\"input\":" + request("disassociate", null) + "}");
    assertEquals(400, posted.status(), posted::toString);
  }

  @Test
  void tokensNeedTheRightScope() {
    assertEquals(401, api.as(null).get("/v1/decisions").status());
    assertEquals(401, api.as("wrong").get("/v1/decisions").status());
    Response created = api.post("/v1/tokens", "{\"name\":\"ci\",\"scopes\":[\"decide\"]}");
    assertEquals(201, created.status(), created::toString);
    Api decider = api.as(created.json().get("token").asText());
    assertEquals(
        200,
        decider.post("/v1/decisions/instance-profile", request("disassociate", null)).status());
    Response forbidden = decider.get("/v1/decisions");
    assertEquals(403, forbidden.status());
    assertEquals("forbidden", forbidden.code());
    assertEquals(403, decider.put("/v1/accounts/111122223333/groups/x", "{}").status());
    assertEquals(200, api.delete("/v1/tokens/ci").status());
    assertEquals(
        401,
        decider.post("/v1/decisions/instance-profile", request("disassociate", null)).status());
    assertEquals(200, api.as(null).get("/health").status());
  }

  @Test
  void simulateChecksEveryActionOnEveryResourceWithoutLogging() {
    service.awaitAudit();
    long logged = service.count("SELECT count(*) FROM decision_log");
    Response r =
        api.post(
            "/v1/simulate",
            "{\"principal\":\""
                + ALICE
                + "\",\"actionNames\":[\"iam:PassRole\",\"ec2:AssociateIamInstanceProfile\"],"
                + "\"resourceArns\":[\""
                + WEB_ROLE
                + "\",\""
                + ADMIN_ROLE
                + "\"],"
                + "\"context\":{\"iam:PassedToService\":\"ec2.amazonaws.com\"}}");
    assertEquals(200, r.status(), r::toString);
    JsonNode results = r.json().get("evaluationResults");
    assertEquals(4, results.size());
    assertEquals("iam:PassRole", results.get(0).get("action").asText());
    assertEquals("allowed", results.get(0).get("decision").asText());
    assertEquals(ADMIN_ROLE, results.get(1).get("resource").asText());
    assertEquals("implicitDeny", results.get(1).get("decision").asText());
    service.awaitAudit();
    assertEquals(logged, service.count("SELECT count(*) FROM decision_log"));
    Response role =
        api.post(
            "/v1/simulate",
            "{\"principal\":\"arn:aws:iam::111122223333:role/Admin\",\"actionNames\":[\"s3:GetObject\"]}");
    assertEquals(200, role.status(), role::toString);
    assertEquals("*", role.json().at("/evaluationResults/0/resource").asText());
  }

  @Test
  void aSessionPolicyLimitsARoleSessionForThisRequestOnly() {
    String session = "arn:aws:sts::111122223333:assumed-role/Admin/break-glass";
    String base =
        "{\"principal\":\""
            + session
            + "\",\"operation\":\"associate\",\"instanceArn\":\""
            + INSTANCE
            + "\",\"roleArn\":\""
            + WEB_ROLE
            + "\"";
    Response unlimited = api.post("/v1/decisions/instance-profile", base + "}");
    assertTrue(unlimited.json().get("allowed").asBoolean(), unlimited::toString);
    String ec2Only =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}]}";
    Response limited =
        api.post("/v1/decisions/instance-profile", base + ",\"sessionPolicy\":" + ec2Only + "}");
    assertEquals("implicitDeny", limited.json().get("decision").asText(), limited::toString);
    boolean sessionRemedy = false;
    for (JsonNode r : limited.json().get("remedyByLayer")) {
      sessionRemedy |= r.get("layer").asText().equals("session");
    }
    assertTrue(sessionRemedy, limited::toString);
    assertTrue(
        api.post("/v1/decisions/instance-profile", base + "}").json().get("allowed").asBoolean());

    Response forUser =
        api.post(
            "/v1/decisions/instance-profile",
            request("disassociate", null).replace("}", ",\"sessionPolicy\":" + ec2Only + "}"));
    assertEquals(400, forUser.status(), forUser::toString);
    assertEquals("sessionPolicy", forUser.json().get("path").asText());
  }
}
