package dev.rolegate.api.http;

import static dev.rolegate.api.http.DecisionApiIT.ADMIN_ROLE;
import static dev.rolegate.api.http.DecisionApiIT.INSTANCE;
import static dev.rolegate.api.http.DecisionApiIT.WEB_ROLE;
import static dev.rolegate.api.http.DecisionApiIT.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.DemoAccount;
import dev.rolegate.api.testing.RunningService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batches of decisions over HTTP: each request answered as the single endpoint answers it and
 * logged on its own, and a batch refused whole, logging nothing, when any request in it is bad; and
 * the batches of OPA clients, which answer a bad input beside the others.
 */
class BatchDecisionIT {
  private static final String BATCH = "/v1/decisions/instance-profile/batch";
  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static String batch(List<String> requests) {
    return "{\"requests\":[" + String.join(",", requests) + "]}";
  }

  private static long logged() {
    service.awaitAudit();
    return service.count("SELECT count(*) FROM decision_log");
  }

  /** An answer without what differs from one decision to the next of the same request. */
  private static JsonNode sameness(JsonNode answer) {
    ObjectNode copy = answer.deepCopy();
    copy.remove("decisionId");
    return copy;
  }

  @Test
  void eachRequestIsAnsweredAsAloneAndLoggedOnItsOwn() throws IOException {
    List<String> requests =
        List.of(
            request("associate", WEB_ROLE),
            request("associate", ADMIN_ROLE),
            request("disassociate", null),
            request("replace", WEB_ROLE));
    long before = logged();
    Response r = api.post(BATCH, batch(requests));
    assertEquals(200, r.status(), r::toString);
    JsonNode answers = r.json().get("answers");
    assertEquals(requests.size(), answers.size(), r::toString);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      JsonNode answer = answers.get(i);
      Response alone = api.post("/v1/decisions/instance-profile", requests.get(i));
      assertEquals(sameness(alone.json()), sameness(answer), "request " + i);
      String id = answer.get("decisionId").asText();
      assertTrue(ids.add(id), "a decision id came twice");
      Response found = api.get("/v1/decisions/" + id);
      assertEquals(200, found.status(), found::toString);
      assertEquals(answer, found.json().get("answer"));
      assertEquals(
          JSON.readTree(requests.get(i)),
          found.json().get("request"),
          "the log keeps each request");
    }
    assertEquals(true, answers.get(0).get("allowed").asBoolean());
    assertEquals("implicitDeny", answers.get(1).get("decision").asText());
    // The batch's four and the four asked alone.
    assertEquals(before + 2L * requests.size(), logged());
  }

  /**
   * Random requests over the demo account's users, role sessions and roles (and some it lacks),
   * instances of two accounts and random contexts: every answer of a batch is the answer the single
   * endpoint gives the same request, in the same place.
   */
  @Test
  void aRandomBatchAnswersAsSingleRequestsInOrder() throws IOException {
    JsonNode demo = JSON.readTree(DemoAccount.text());
    List<String> callers = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    demo.get("UserDetailList").forEach(u -> callers.add(u.get("Arn").asText()));
    for (JsonNode r : demo.get("RoleDetailList")) {
      roles.add(r.get("Arn").asText());
      callers.add(
          "arn:aws:sts::111122223333:assumed-role/" + r.get("RoleName").asText() + "/session");
    }
    callers.add("arn:aws:iam::111122223333:user/nobody");
    roles.add("arn:aws:iam::111122223333:role/NoSuchRole");
    roles.add("arn:aws:iam::444455556666:role/EC2-roles-for-XYZ-web");
    Random random = new Random(20261203);
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String operation = List.of("associate", "replace", "disassociate").get(random.nextInt(3));
      String account = random.nextInt(10) == 0 ? "444455556666" : "111122223333";
      StringBuilder r =
          new StringBuilder("{\"principal\":\"")
              .append(callers.get(random.nextInt(callers.size())))
              .append("\",\"operation\":\"")
              .append(operation)
              .append("\",\"instanceArn\":\"arn:aws:ec2:")
              .append(List.of("us-east-1", "eu-west-1").get(random.nextInt(2)))
              .append(':')
              .append(account)
              .append(":instance/i-")
              .append(String.format("%017x", random.nextLong() & 0xfffffffffffffL))
              .append('"');
      if (!operation.equals("disassociate")) {
        r.append(",\"roleArn\":\"").append(roles.get(random.nextInt(roles.size()))).append('"');
      }
      r.append(",\"context\":{\"aws:SourceIp\":\"")
          .append(random.nextBoolean() ? "203.0.113." : "198.51.100.")
          .append(random.nextInt(256))
          .append('"');
      if (random.nextBoolean()) {
        r.append(",\"ec2:ResourceTag/Env\":\"")
            .append(List.of("prod", "dev", "test").get(random.nextInt(3)))
            .append('"');
      }
      requests.add(r.append("}}").toString());
    }
    Response batch = api.post(BATCH, batch(requests));
    assertEquals(200, batch.status(), batch::toString);
    Set<String> decisions = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      Response alone = api.post("/v1/decisions/instance-profile", requests.get(i));
      assertEquals(200, alone.status(), alone::toString);
      JsonNode answer = batch.json().get("answers").get(i);
      assertEquals(
          sameness(alone.json()), sameness(answer), "request " + i + ": " + requests.get(i));
      decisions.add(answer.get("decision").asText());
    }
    // The sample reaches every outcome, so the comparison is not of one kind of answer only.
    assertEquals(Set.of("allowed", "implicitDeny", "explicitDeny"), decisions);
  }

  @Test
  void oneBadRequestRefusesTheBatchAndLogsNothing() {
    long before = logged();
    Response r =
        api.post(
            BATCH,
            batch(
                List.of(
                    request("associate", WEB_ROLE),
                    request("associate", null),
                    "{\"principal\":\"bob\",\"operation\":\"disassociate\",\"instanceArn\":\""
                        + INSTANCE
                        + "\",\"extra\":1}",
                    "[]")));
    assertEquals(400, r.status(), r::toString);
    List<String> paths = new ArrayList<>();
    r.json().get("errors").forEach(e -> paths.add(e.get("path").asText()));
    assertEquals(
        List.of("requests[1].roleArn", "requests[2].extra", "requests[2].principal", "requests[3]"),
        paths.stream().sorted().toList(),
        r::toString);
    assertEquals(before, logged());
  }

  @Test
  void aBatchHoldsOneToAThousandRequests() {
    long before = logged();
    String one = request("disassociate", null);
    assertRefused(api.post(BATCH, "{\"requests\":[]}"), "invalid_request", "requests", "1 to 1000");
    assertRefused(
        api.post(BATCH, batch(Collections.nCopies(1_001, one))),
        "invalid_request",
        "requests",
        "holds 1001");
    assertRefused(api.post(BATCH, "{}"), "invalid_request", "requests", "is required");
    assertRefused(
        api.post(BATCH, "{\"requests\":" + one + "}"), "invalid_request", "requests", "a list");
    assertRefused(
        api.post(BATCH, "{\"requests\":[" + one + "],\"minRevision\":1}"),
        "unknown_field",
        "minRevision",
        "unknown field");
    Response full = api.post(BATCH, batch(Collections.nCopies(1_000, one)));
    assertEquals(200, full.status());
    assertEquals(1_000, full.json().get("answers").size());
    assertEquals(before + 1_000, logged());
  }

  @Test
  void aBatchLargerThanItsLimitIsRefusedBeforeItIsRead() {
    long before = logged();
    String padded = "{\"requests\":[],\"pad\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";
    Response r = api.post(BATCH, padded);
    assertEquals(413, r.status(), r::toString);
    assertEquals("payload_too_large", r.code());
    assertTrue(r.json().get("message").asText().contains("4194304"), r::toString);
    assertEquals(before, logged());
  }

  @Test
  void minRevisionInAnyRequestHoldsForTheWholeBatch() {
    Response written =
        api.put(
            "/v1/accounts/111122223333/users/batch-reader",
            "{\"inlinePolicies\":{\"Attach\":{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"ec2:DisassociateIamInstanceProfile\","
                + "\"Resource\":\"*\"}]}}}");
    assertEquals(200, written.status(), written::toString);
    long revision = written.json().get("revision").asLong();
    String reader =
        "{\"principal\":\"arn:aws:iam::111122223333:user/batch-reader\","
            + "\"operation\":\"disassociate\",\"instanceArn\":\""
            + INSTANCE
            + "\"";
    Response r =
        api.post(
            BATCH,
            batch(
                List.of(
                    reader + "}",
                    request("disassociate", null),
                    reader + ",\"minRevision\":" + revision + "}")));
    assertEquals(200, r.status(), r::toString);
    for (JsonNode answer : r.json().get("answers")) {
      assertTrue(answer.get("allowed").asBoolean(), r::toString);
      assertTrue(answer.get("revision").asLong() >= revision, r::toString);
    }

    long before = logged();
    Response beyond =
        api.post(
            BATCH,
            batch(List.of(reader + "}", reader + ",\"minRevision\":" + (revision + 1_000) + "}")));
    assertEquals(400, beyond.status(), beyond::toString);
    assertEquals(
        "requests[1].minRevision", beyond.json().at("/errors/0/path").asText(), beyond::toString);
    assertEquals(before, logged());
  }

  @Test
  void aBatchNeedsTheDecideScope() {
    Response decider = api.post("/v1/tokens", "{\"name\":\"batcher\",\"scopes\":[\"decide\"]}");
    Response auditor = api.post("/v1/tokens", "{\"name\":\"reader\",\"scopes\":[\"audit\"]}");
    String body = batch(List.of(request("disassociate", null)));
    Response allowed = api.as(decider.json().get("token").asText()).post(BATCH, body);
    assertEquals(200, allowed.status(), allowed::toString);
    String id = allowed.json().at("/answers/0/decisionId").asText();
    assertEquals("batcher", api.get("/v1/decisions/" + id).json().get("caller").asText());
    Response forbidden = api.as(auditor.json().get("token").asText()).post(BATCH, body);
    assertEquals(403, forbidden.status(), forbidden::toString);
    String opa = "/v1/batch/data/rolegate/instance_profile";
    String inputs = "{\"inputs\":{\"a\":" + request("disassociate", null) + "}}";
    assertEquals(200, api.as(decider.json().get("token").asText()).post(opa, inputs).status());
    assertEquals(403, api.as(auditor.json().get("token").asText()).post(opa, inputs).status());
  }

  /**
   * OPA clients' batches (Enterprise OPA's form, their SDKs' evaluateBatch): inputs by id, merged
   * into a common input, answered by id.
   */
  @Test
  void opaClientsBatchInputsByIdOverACommonInput() throws IOException {
    long before = logged();
    String common =
        "{\"principal\":\""
            + DecisionApiIT.ALICE
            + "\",\"operation\":\"associate\",\"instanceArn\":\""
            + INSTANCE
            + "\",\"context\":{\"aws:SourceIp\":\"203.0.113.7\"}}";
    Response r =
        api.post(
            "/v1/batch/data/rolegate/instance_profile/allow?provenance",
            "{\"common_input\":"
                + common
                + ",\"inputs\":{\"web\":{\"roleArn\":\""
                + WEB_ROLE
                + "\",\"context\":{\"aws:RequestedRegion\":\"us-east-1\"}},"
                + "\"admin\":{\"roleArn\":\""
                + ADMIN_ROLE
                + "\"},\"detach\":{\"operation\":\"disassociate\"}}}");
    assertEquals(200, r.status(), r::toString);
    JsonNode responses = r.json().get("responses");
    assertEquals(List.of("web", "admin", "detach"), names(responses), r::toString);
    assertTrue(responses.at("/web/result").asBoolean(), r::toString);
    assertEquals(false, responses.at("/admin/result").asBoolean(), r::toString);
    assertTrue(responses.at("/detach/result").asBoolean(), r::toString);
    assertTrue(responses.at("/web/provenance/revision").asLong() >= 1, r::toString);
    assertTrue(responses.at("/web/http_status_code").isMissingNode(), "only in mixed answers");
    // Logged as merged: the common input's fields, the input's own, the context of both.
    JsonNode logged =
        api.get("/v1/decisions/" + responses.at("/web/decision_id").asText()).json().get("request");
    assertEquals(
        JSON.readTree(
            "{\"principal\":\""
                + DecisionApiIT.ALICE
                + "\",\"operation\":\"associate\",\"instanceArn\":\""
                + INSTANCE
                + "\",\"context\":{\"aws:SourceIp\":\"203.0.113.7\","
                + "\"aws:RequestedRegion\":\"us-east-1\"},\"roleArn\":\""
                + WEB_ROLE
                + "\"}"),
        logged);
    assertEquals(before + 3, logged());

    Response full =
        api.post(
            "/v1/batch/data/rolegate/instance_profile",
            "{\"inputs\":{\"one\":" + request("associate", ADMIN_ROLE) + "}}");
    assertEquals(200, full.status(), full::toString);
    assertEquals("implicitDeny", full.json().at("/responses/one/result/decision").asText());
    assertEquals(
        full.json().at("/responses/one/decision_id"),
        full.json().at("/responses/one/result/decisionId"));

    Response none = api.post("/v1/batch/data/rolegate/instance_profile", "{\"inputs\":{}}");
    assertEquals(200, none.status(), none::toString);
    assertEquals(0, none.json().get("responses").size(), none::toString);
  }

  /** As in Enterprise OPA: an input that cannot be decided is answered beside the others, 207. */
  @Test
  void anOpaBatchAnswersABadInputBesideTheOthers() {
    long before = logged();
    Response r =
        api.post(
            "/v1/batch/data/rolegate/instance_profile/allow",
            "{\"inputs\":{\"good\":"
                + request("associate", WEB_ROLE)
                + ",\"bad\":"
                + request("associate", null)
                + ",\"odd\":5}}");
    assertEquals(207, r.status(), r::toString);
    JsonNode responses = r.json().get("responses");
    assertEquals(List.of("good", "bad", "odd"), names(responses), r::toString);
    assertTrue(responses.at("/good/result").asBoolean(), r::toString);
    assertEquals("200", responses.at("/good/http_status_code").asText(), r::toString);
    assertEquals("400", responses.at("/bad/http_status_code").asText(), r::toString);
    assertEquals("invalid_request", responses.at("/bad/code").asText(), r::toString);
    assertEquals("inputs.bad.roleArn", responses.at("/bad/path").asText(), r::toString);
    assertEquals("inputs.odd", responses.at("/odd/path").asText(), r::toString);
    assertEquals(before + 1, logged(), "only the good input is decided and logged");

    String batch = "/v1/batch/data/rolegate/instance_profile";
    // Problems are put where the client must mend them: the input, or the common input it took
    // a field from; an id that would read as a path is quoted; a minRevision no write returned
    // is the one input's problem.
    String alice = "{\"principal\":\"" + DecisionApiIT.ALICE + "\"}";
    Response placed =
        api.post(
            batch + "/allow",
            "{\"common_input\":{\"principal\":5,\"operation\":\"disassociate\",\"instanceArn\":\""
                + INSTANCE
                + "\",\"context\":{\"aws:SourceIp\":{},\"ec2:ResourceTag/Env\":\"prod\"}},"
                + "\"inputs\":{\"inherits\":{},\"a.b[0]\":{\"principal\":\"bob\",\"context\":"
                + "{\"aws:SourceIp\":\"203.0.113.7\",\"ec2:ResourceTag/Env\":[{}]}},"
                + "\"beyond\":"
                + alice.replace(
                    "}", ",\"context\":{\"aws:SourceIp\":\"203.0.113.7\"},\"minRevision\":999999}")
                + ",\"fine\":"
                + alice.replace("}", ",\"context\":{\"aws:SourceIp\":\"203.0.113.7\"}}")
                + "}}");
    assertEquals(207, placed.status(), placed::toString);
    JsonNode answered = placed.json().get("responses");
    assertEquals(
        List.of("common_input.principal", "common_input.context.aws:SourceIp"),
        paths(answered.get("inherits")),
        placed::toString);
    assertEquals(
        List.of(
            "inputs[\"a.b[0]\"].principal", "inputs[\"a.b[0]\"].context.ec2:ResourceTag/Env[0]"),
        paths(answered.get("a.b[0]")),
        placed::toString);
    assertEquals(
        List.of("inputs.beyond.minRevision"), paths(answered.get("beyond")), placed::toString);
    assertTrue(answered.at("/fine/result").asBoolean(), placed::toString);
    assertRefused(
        api.post(batch, "{\"inputs\":{},\"common_input\":{\"foo\":1}}"),
        "unknown_field",
        "common_input.foo",
        "unknown field");
    assertEquals(before + 2, logged());

    assertRefused(api.post(batch, "{}"), "invalid_request", "inputs", "is required");
    assertRefused(api.post(batch, "{\"inputs\":[]}"), "invalid_request", "inputs", "an object");
    assertRefused(
        api.post(batch, "{\"inputs\":{},\"input\":{}}"), "unknown_field", "input", "unknown");
    StringBuilder many = new StringBuilder("{\"inputs\":{");
    for (int i = 0; i <= 1_000; i++) {
      many.append(i == 0 ? "" : ",").append("\"").append(i).append("\":{}");
    }
    assertRefused(
        api.post(batch, many.append("}}").toString()), "invalid_request", "inputs", "at most 1000");
    Response parameter = api.post(batch + "?explain=full", "{\"inputs\":{}}");
    assertEquals(400, parameter.status(), parameter::toString);
    assertEquals("invalid_parameter", parameter.code());
    assertEquals(before + 2, logged());
  }

  private static List<String> paths(JsonNode problem) {
    List<String> out = new ArrayList<>();
    problem.get("errors").forEach(e -> out.add(e.get("path").asText()));
    return out;
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static void assertRefused(Response r, String code, String path, String says) {
    assertEquals(400, r.status(), r::toString);
    assertEquals(code, r.code(), r::toString);
    assertEquals(path, r.json().at("/errors/0/path").asText(), r::toString);
    assertTrue(r.json().get("message").asText().contains(says), r::toString);
  }
}
