package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.imports.Fixtures;
import dev.rolegate.api.imports.Fixtures.Encoding;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code PUT /v1/accounts/{id}/authorization-details} over HTTP with the acme fixture: every
 * encoding imports to an account that decides as derived by hand below, an import replaces the
 * account as one revision, a filtered export leaves references unresolved, and a document with a
 * bad policy is refused whole. Each test imports into accounts of its own (the fixture's ARNs are
 * rewritten to that account), so the tests do not depend on each other's order.
 */
class ImportIT {
  static final String ACME = "acme-authorization-details.json";
  static final String ACME_FILTERED = "acme-without-aws-managed-policies.json";

  static RunningService service;
  static Api api;

  @BeforeAll
  static void start() {
    service = RunningService.start();
    api = service.api();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  // ---- the account as imported, decided over HTTP

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void everyEncodingImportsAnAccountThatDecidesAsDerivedByHand(Encoding encoding) {
    String account = "21000000000" + (encoding.ordinal() + 1);
    JsonNode document = acme(ACME, account, encoding);
    assertEquals(
        encoding != Encoding.OBJECTS,
        document.at("/Policies/0/PolicyVersionList/0/Document").isTextual(),
        "documents re-encoded");

    Response imported = importInto(account, document);
    assertEquals(200, imported.status(), imported::toString);
    assertEquals(account, imported.json().get("accountId").asText());
    assertEquals(
        Fixtures.json("{'users':7,'groups':4,'roles':6,'policies':8,'instanceProfiles':3}"),
        imported.json().get("imported"));
    assertEquals(0, imported.json().get("unresolvedReferences").size());
    long revision = imported.json().get("revision").asLong();

    Acme acme = new Acme(account);

    // alice is a platform engineer: the group's managed policy allows the EC2 actions on the
    // account's instances and PassRole on EC2-roles-for-XYZ-* when passed to EC2.
    JsonNode web =
        decide(acme.user("platform/alice"), "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("allowed", web);
    assertEquals(revision, web.get("revision").asLong());
    assertEquals(Set.of(), findings(web));
    assertFalse(web.has("remedy"));
    String platformPolicy = acme.policy("platform/PlatformEngineerInstanceProfiles");
    assertMatched(web.at("/checks/0"), platformPolicy, "v1", "ManageInstanceProfileAssociations");
    assertEquals("iam:PassRole", web.at("/checks/1/action").asText());
    assertMatched(web.at("/checks/1"), platformPolicy, "v1", "PassXYZRoles");

    // EC2-roles-for-XYZ-batch sits in the profile /batch/xyz-batch-profile: no finding either.
    JsonNode batch =
        decide(acme.user("platform/alice"), "replace", acme.role("EC2-roles-for-XYZ-batch"));
    assertDecision("allowed", batch);
    assertEquals(Set.of(), findings(batch));

    // Admin matches no PassRole statement: implicitly denied, fixed by a scoped PassRole; the
    // role trusts the account root, not EC2, and is in no instance profile.
    JsonNode admin = decide(acme.user("platform/alice"), "associate", acme.role("Admin"));
    assertDecision("implicitDeny", admin);
    assertEquals("allowed", admin.at("/checks/0/decision").asText());
    assertEquals("implicitDeny", admin.at("/checks/1/decision").asText());
    JsonNode remedy = admin.at("/remedy/Statement");
    assertEquals(1, remedy.size(), admin::toString);
    assertEquals("iam:PassRole", remedy.at("/0/Action").asText());
    assertEquals(acme.role("Admin"), remedy.at("/0/Resource").asText());
    assertEquals(
        "ec2.amazonaws.com", remedy.at("/0/Condition/StringEquals/iam:PassedToService").asText());
    assertEquals(Set.of("role_not_trusted_by_ec2", "role_in_no_instance_profile"), findings(admin));

    // bob has the same group, limited by PlatformBoundary, which allows ec2:* and iam:PassRole.
    JsonNode bob =
        decide(acme.user("platform/bob"), "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("allowed", bob);
    for (JsonNode check : bob.get("checks")) {
      assertTrue(check.get("allowedByPermissionsBoundary").asBoolean(), check::toString);
      assertEquals("allowed", layerDecision(check, "permissionsBoundary"), check::toString);
    }
    // ... and the boundary alone grants nothing: bob may still not pass Admin.
    assertDecision(
        "implicitDeny", decide(acme.user("platform/bob"), "associate", acme.role("Admin")));

    // dave is an administrator whose group denies everything but MFA setup without MFA.
    JsonNode dave = decide(acme.user("dave"), "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("explicitDeny", dave);
    assertFalse(dave.has("remedy"), "an Allow cannot fix an explicit deny");
    assertMatchedEffect(dave.at("/checks/0"), "group/Admins/RequireMfa", "Deny");
    JsonNode daveWithMfa =
        decide(
            acme.user("dave"),
            "associate",
            acme.role("EC2-roles-for-XYZ-web"),
            "{'aws:MultiFactorAuthPresent':'true'}");
    assertDecision("allowed", daveWithMfa);
    assertMatched(
        daveWithMfa.at("/checks/1"), "arn:aws:iam::aws:policy/AdministratorAccess", "v1", null);

    // erin's own inline policy denies everything but iam:Get* and iam:List*.
    assertDecision(
        "explicitDeny",
        decide(acme.user("contractors/erin"), "associate", acme.role("EC2-roles-for-XYZ-web")));

    // frank has only the AWS managed EC2 read-only policy: ec2:Describe* is not enough.
    JsonNode frank = decide(acme.user("frank"), "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("implicitDeny", frank);
    assertEquals("implicitDeny", frank.at("/checks/0/decision").asText());
    assertEquals("implicitDeny", frank.at("/checks/1/decision").asText());
    assertEquals(2, frank.at("/remedy/Statement").size(), frank::toString);
    assertDecision("implicitDeny", decide(acme.user("frank"), "disassociate", null));

    // A session of the Admin role has AdministratorAccess and no MFA condition.
    String adminSession = "arn:aws:sts::" + account + ":assumed-role/Admin/break-glass";
    JsonNode session = decide(adminSession, "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("allowed", session);
    assertEquals(Set.of(), findings(session));
    assertEquals(
        "aws-managed", session.at("/checks/0/matchedStatements/0/sourcePolicyType").asText());
    // The monitoring agent's session may only describe EC2.
    String agent = "arn:aws:sts::" + account + ":assumed-role/monitoring-agent/i-0123456789abcdef0";
    assertDecision("implicitDeny", decide(agent, "disassociate", null));

    // An administrator (with MFA) may pass order-processor, but EC2 could not use it: it trusts
    // only Lambda and is in no instance profile. The role has a path.
    JsonNode lambdaRole =
        decide(
            acme.user("dave"),
            "associate",
            acme.role("service-role/order-processor"),
            "{'aws:MultiFactorAuthPresent':true}");
    assertDecision("allowed", lambdaRole);
    assertEquals(
        Set.of("role_not_trusted_by_ec2", "role_in_no_instance_profile"), findings(lambdaRole));

    // carol only reads: Describe* and S3.
    assertDecision(
        "implicitDeny",
        decide(acme.user("carol"), "associate", acme.role("EC2-roles-for-XYZ-web")));

    assertAdminViewMatchesTheDocument(account, acme(ACME, account, Encoding.OBJECTS));
  }

  /** GET of imported entities gives back paths, boundaries, tags, documents and versions. */
  private static void assertAdminViewMatchesTheDocument(String account, JsonNode source) {
    String base = "/v1/accounts/" + account;
    Response bob = api.get(base + "/users/bob");
    assertEquals(200, bob.status(), bob::toString);
    assertEquals("/platform/", bob.json().get("path").asText());
    assertEquals("arn:aws:iam::" + account + ":user/platform/bob", bob.json().get("arn").asText());
    assertEquals(
        "arn:aws:iam::" + account + ":policy/boundaries/PlatformBoundary",
        bob.json().get("permissionsBoundary").asText());
    assertEquals(List.of("PlatformEngineers"), strings(bob.json().get("groups")));

    Response alice = api.get(base + "/users/alice");
    assertEquals(
        List.of("PlatformEngineers", "Developers", "ReadOnly"),
        strings(alice.json().get("groups")));
    assertTrue(alice.json().get("permissionsBoundary").isNull());
    assertEquals("platform", alice.json().at("/tags/team").asText());

    Response erin = api.get(base + "/users/erin");
    assertEquals("/contractors/", erin.json().get("path").asText());
    assertEquals(
        source.at("/UserDetailList/4/UserPolicyList/0/PolicyDocument"),
        erin.json().at("/inlinePolicies/DenyIamWrites"));

    Response agent = api.get(base + "/roles/monitoring-agent");
    assertEquals(200, agent.status(), agent::toString);
    assertEquals("/platform/", agent.json().get("path").asText());
    assertEquals(
        "arn:aws:iam::" + account + ":policy/boundaries/PlatformBoundary",
        agent.json().get("permissionsBoundary").asText());
    assertEquals(
        source.at("/RoleDetailList/4/AssumeRolePolicyDocument"), agent.json().get("trustPolicy"));
    assertEquals(
        List.of("arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"),
        strings(agent.json().get("attachedPolicies")));
    assertEquals("internal", agent.json().at("/tags/data-classification").asText());

    Response profile = api.get(base + "/instance-profiles/xyz-batch-profile");
    assertEquals(200, profile.status(), profile::toString);
    assertEquals("/batch/", profile.json().get("path").asText());
    assertEquals("EC2-roles-for-XYZ-batch", profile.json().get("role").asText());

    Response s3 = api.get(base + "/policies/DeveloperS3Access");
    assertEquals(200, s3.status(), s3::toString);
    assertEquals("v2", s3.json().get("defaultVersionId").asText());
    Map<String, Boolean> defaults = new LinkedHashMap<>();
    for (JsonNode v : s3.json().get("versions")) {
      defaults.put(v.get("versionId").asText(), v.get("isDefault").asBoolean());
      JsonNode expected = versionDocument(source, "DeveloperS3Access", v.get("versionId").asText());
      assertEquals(expected, v.get("document"), "document of " + v.get("versionId"));
    }
    assertEquals(Map.of("v1", false, "v2", true, "v3", false), defaults);

    Response platform = api.get(base + "/groups/PlatformEngineers");
    assertEquals("/platform/", platform.json().get("path").asText());
    assertEquals(
        List.of("arn:aws:iam::" + account + ":policy/platform/PlatformEngineerInstanceProfiles"),
        strings(platform.json().get("attachedPolicies")));
    assertTrue(platform.json().at("/inlinePolicies/DenyProductionTagChanges").isObject());
  }

  // ---- versions

  @Test
  void onlyTheDefaultVersionOfAManagedPolicyDecides() {
    String account = "220000000001";
    // A draft v3 of DeveloperS3Access that would let carol attach any role, never made default.
    ObjectNode document = (ObjectNode) acme(ACME, account, Encoding.OBJECTS);
    JsonNode draft =
        Fixtures.json(
            "{'Version':'2012-10-17','Statement':[{'Sid':'Draft','Effect':'Allow','Action':"
                + "['ec2:AssociateIamInstanceProfile','iam:PassRole'],'Resource':'*'}]}");
    ObjectNode v3 = versionOf(document, "DeveloperS3Access", "v3");
    assertFalse(v3.get("IsDefaultVersion").asBoolean());
    v3.set("Document", draft);
    Response imported = importInto(account, document);
    assertEquals(200, imported.status(), imported::toString);

    Acme acme = new Acme(account);
    String carol = acme.user("carol");
    String web = acme.role("EC2-roles-for-XYZ-web");
    assertDecision("implicitDeny", decide(carol, "associate", web));

    Response made =
        api.put(
            "/v1/accounts/" + account + "/policies/DeveloperS3Access/default-version",
            "{\"versionId\":\"v3\"}");
    assertEquals(200, made.status(), made::toString);
    JsonNode now = decide(carol, "associate", web);
    assertDecision("allowed", now);
    assertMatched(now.at("/checks/1"), acme.policy("DeveloperS3Access"), "v3", "Draft");
  }

  // ---- replacing an account

  @Test
  void anImportReplacesTheWholeAccountAsOneRevision() {
    String account = "230000000001";
    String neighbour = "230000000002";
    assertEquals(200, importInto(account, acme(ACME, account, Encoding.OBJECTS)).status());
    assertEquals(200, importInto(neighbour, acme(ACME, neighbour, Encoding.OBJECTS)).status());
    Acme acme = new Acme(account);
    assertDecision(
        "allowed",
        decide(acme.user("platform/alice"), "associate", acme.role("EC2-roles-for-XYZ-batch")));
    long neighbourUsers = count("iam_user", neighbour);
    long neighbourPolicies = count("managed_policy", neighbour);

    // The same account without erin, the batch role (and so its profile) and order-processor with
    // the policy only it uses.
    ObjectNode second = (ObjectNode) acme(ACME, account, Encoding.JSON_STRINGS);
    remove(second, "UserDetailList", e -> e.get("UserName").asText().equals("erin"));
    remove(
        second,
        "RoleDetailList",
        e ->
            Set.of("EC2-roles-for-XYZ-batch", "order-processor")
                .contains(e.get("RoleName").asText()));
    remove(
        second, "Policies", e -> e.get("PolicyName").asText().equals("OrderProcessorDynamoAccess"));

    long revisionBefore = revision();
    long changesBefore = service.count("SELECT count(*) FROM change_log");
    Response replaced = importInto(account, second);
    assertEquals(200, replaced.status(), replaced::toString);
    long revision = replaced.json().get("revision").asLong();
    assertEquals(revisionBefore + 1, revision, "one import, one revision");
    assertEquals(revision, revision());
    assertEquals(changesBefore + 1, service.count("SELECT count(*) FROM change_log"));
    assertEquals(
        1,
        service.count(
            "SELECT count(*) FROM change_log WHERE revision = "
                + revision
                + " AND change = 'replaced' AND entity_arn = '"
                + account
                + "'"));

    String base = "/v1/accounts/" + account;
    for (String gone :
        List.of(
            "/users/erin",
            "/roles/EC2-roles-for-XYZ-batch",
            "/roles/order-processor",
            "/instance-profiles/xyz-batch-profile",
            "/policies/OrderProcessorDynamoAccess")) {
      Response r = api.get(base + gone);
      assertEquals(404, r.status(), () -> gone + ": " + r);
      assertEquals("not_found", r.code());
    }
    assertEquals(200, api.get(base + "/users/alice").status());
    assertEquals(
        List.of(),
        strings(api.get(base + "/users").json().get("users")).stream()
            .filter(n -> n.equals("erin"))
            .toList());
    assertEquals(6, count("iam_user", account));
    assertEquals(4, count("iam_role", account));
    assertEquals(2, count("instance_profile", account));

    // Decisions see the new state at the new revision: the batch role is no longer known.
    JsonNode batch =
        decide(acme.user("platform/alice"), "associate", acme.role("EC2-roles-for-XYZ-batch"));
    assertDecision("allowed", batch);
    assertEquals(revision, batch.get("revision").asLong());
    assertEquals(Set.of("role_unknown"), findings(batch));
    JsonNode erin =
        decide(acme.user("contractors/erin"), "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("implicitDeny", erin);
    assertEquals(Set.of("principal_unknown"), findings(erin));

    // The other account is untouched.
    assertEquals(neighbourUsers, count("iam_user", neighbour));
    assertEquals(neighbourPolicies, count("managed_policy", neighbour));
    assertEquals(200, api.get("/v1/accounts/" + neighbour + "/users/erin").status());
  }

  // ---- a missing permissions boundary

  @Test
  void aBoundaryThatWasNotImportedAllowsNothing() {
    String account = "240000000002";
    ObjectNode document = (ObjectNode) acme(ACME, account, Encoding.OBJECTS);
    String boundary = "arn:aws:iam::" + account + ":policy/boundaries/PlatformBoundary";
    var policies = (com.fasterxml.jackson.databind.node.ArrayNode) document.get("Policies");
    for (int i = 0; i < policies.size(); i++) {
      if (policies.get(i).get("Arn").asText().equals(boundary)) {
        policies.remove(i);
        break;
      }
    }
    assertEquals(200, importInto(account, document).status());
    Acme acme = new Acme(account);
    // bob's own policies allow the attach; his boundary's document is unknown: fail closed.
    JsonNode bob =
        decide(acme.user("platform/bob"), "associate", acme.role("EC2-roles-for-XYZ-web"));
    assertDecision("implicitDeny", bob);
    assertFalse(bob.at("/checks/0/allowedByPermissionsBoundary").asBoolean(), bob::toString);
    assertTrue(findingMessage(bob, "policy_unknown").contains(boundary), bob::toString);
    // alice has no boundary and is unaffected.
    assertDecision(
        "allowed",
        decide(acme.user("platform/alice"), "associate", acme.role("EC2-roles-for-XYZ-web")));
  }

  // ---- a filtered export

  @Test
  void aFilteredExportImportsWithUnresolvedReferencesThatDecisionsReport() {
    String account = "240000000001";
    Response imported = importInto(account, acme(ACME_FILTERED, account, Encoding.OBJECTS));
    assertEquals(200, imported.status(), imported::toString);
    assertEquals(6, imported.json().at("/imported/policies").asInt());
    String ec2ReadOnly = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess";
    String administrator = "arn:aws:iam::aws:policy/AdministratorAccess";
    String arn = "arn:aws:iam::" + account + ":";
    List<List<String>> expected =
        List.of(
            List.of(
                "UserDetailList[6].AttachedManagedPolicies[0]", arn + "user/frank", ec2ReadOnly),
            List.of(
                "GroupDetailList[1].AttachedManagedPolicies[0]",
                arn + "group/Developers",
                ec2ReadOnly),
            List.of(
                "GroupDetailList[2].AttachedManagedPolicies[0]",
                arn + "group/Admins",
                administrator),
            List.of(
                "GroupDetailList[3].AttachedManagedPolicies[0]",
                arn + "group/ReadOnly",
                ec2ReadOnly),
            List.of(
                "RoleDetailList[2].AttachedManagedPolicies[0]", arn + "role/Admin", administrator),
            List.of(
                "RoleDetailList[4].AttachedManagedPolicies[0]",
                arn + "role/platform/monitoring-agent",
                ec2ReadOnly));
    List<List<String>> actual = new ArrayList<>();
    for (JsonNode r : imported.json().get("unresolvedReferences")) {
      actual.add(
          List.of(
              r.get("path").asText(), r.get("entityArn").asText(), r.get("policyArn").asText()));
    }
    assertEquals(expected, actual);

    Acme acme = new Acme(account);
    String web = acme.role("EC2-roles-for-XYZ-web");
    // frank's only policy is unknown: nothing allows, and the answer says what was left out.
    JsonNode frank = decide(acme.user("frank"), "associate", web);
    assertDecision("implicitDeny", frank);
    assertEquals(Set.of("policy_unknown"), findings(frank));
    assertTrue(findingMessage(frank, "policy_unknown").contains(ec2ReadOnly), frank::toString);
    // dave with MFA would be allowed by AdministratorAccess, which was not imported.
    JsonNode dave =
        decide(acme.user("dave"), "associate", web, "{'aws:MultiFactorAuthPresent':'true'}");
    assertDecision("implicitDeny", dave);
    assertTrue(findingMessage(dave, "policy_unknown").contains(administrator), dave::toString);
    // alice's permission comes from a known policy; her groups' unknown one is still reported.
    JsonNode alice = decide(acme.user("platform/alice"), "associate", web);
    assertDecision("allowed", alice);
    assertEquals(Set.of("policy_unknown"), findings(alice));
    JsonNode session =
        decide("arn:aws:sts::" + account + ":assumed-role/Admin/break-glass", "associate", web);
    assertDecision("implicitDeny", session);
    assertEquals(Set.of("policy_unknown"), findings(session));
  }

  /**
   * AWS keeps dozens of versions of its own policies (ReadOnlyAccess is past v60), and an export
   * may list them: the five versions of a customer managed policy do not bind them.
   */
  @Test
  void anAwsManagedPolicyWithMoreThanFiveVersionsIsImported() {
    String account = "250000000019";
    ObjectNode document = (ObjectNode) acme(ACME, account, Encoding.OBJECTS);
    ObjectNode current = versionOf(document, "AmazonEC2ReadOnlyAccess", "v1");
    ArrayNode versions =
        (ArrayNode) policyNamed(document, "AmazonEC2ReadOnlyAccess").get("PolicyVersionList");
    for (int v = 2; v <= 8; v++) {
      versions.add(current.deepCopy().put("VersionId", "v" + v).put("IsDefaultVersion", false));
    }
    Response imported = importInto(account, document);
    assertEquals(200, imported.status(), imported::toString);
    assertEquals(
        8,
        service.count(
            "SELECT count(*) FROM managed_policy_version v JOIN managed_policy p"
                + " ON p.id = v.policy_id WHERE p.account_id = '"
                + account
                + "' AND p.arn = 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess'"));
  }

  // ---- a document that is refused

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aDocumentWithABadPolicyDeepInsideIsRefusedAndNothingIsStored(Encoding encoding) {
    String account = "25000000000" + (encoding.ordinal() + 1);
    assertEquals(200, importInto(account, acme(ACME, account, Encoding.OBJECTS)).status());
    String aliceEtag =
        api.get("/v1/accounts/" + account + "/users/alice").header("ETag").orElseThrow();

    ObjectNode bad = (ObjectNode) acme(ACME, account, Encoding.OBJECTS);
    // Policies[1] is DeveloperS3Access; its third version is v1.
    ObjectNode statement =
        (ObjectNode) versionOf(bad, "DeveloperS3Access", "v1").at("/Document/Statement/0");
    statement.put("Effect", "Permit");
    remove(bad, "UserDetailList", e -> e.get("UserName").asText().equals("frank"));

    Map<String, Long> before = tableCounts();
    long revisionBefore = revision();
    Response refused = importInto(account, encoding.apply(bad));
    assertEquals(400, refused.status(), refused::toString);
    assertEquals(
        "application/problem+json",
        refused.header("Content-Type").orElse("").replaceAll(";.*", ""));
    assertEquals(
        "Policies[1].PolicyVersionList[2].Document.Statement[0].Effect",
        refused.json().get("path").asText());
    assertTrue(refused.json().get("message").asText().contains("Permit"), refused::toString);

    assertEquals(revisionBefore, revision(), "no revision for a refused import");
    assertEquals(before, tableCounts(), "nothing stored, nothing deleted");
    Response frank = api.get("/v1/accounts/" + account + "/users/frank");
    assertEquals(200, frank.status(), "the refused document's deletion did not happen");
    assertEquals(
        aliceEtag,
        api.get("/v1/accounts/" + account + "/users/alice").header("ETag").orElseThrow());
  }

  // ---- helpers

  /** ARNs in one imported copy of the acme account. */
  record Acme(String account) {
    String user(String pathAndName) {
      return "arn:aws:iam::" + account + ":user/" + pathAndName;
    }

    String role(String pathAndName) {
      return "arn:aws:iam::" + account + ":role/" + pathAndName;
    }

    String policy(String pathAndName) {
      return "arn:aws:iam::" + account + ":policy/" + pathAndName;
    }
  }

  static JsonNode acme(String fixture, String account, Encoding encoding) {
    return encoding.apply(Fixtures.forAccount(Fixtures.load(fixture), account));
  }

  static Response importInto(String account, JsonNode document) {
    return api.put("/v1/accounts/" + account + "/authorization-details", document.toString());
  }

  static JsonNode decide(String principal, String operation, String role) {
    return decide(principal, operation, role, null);
  }

  static JsonNode decide(String principal, String operation, String role, String context) {
    ObjectNode body = Fixtures.JSON.createObjectNode();
    body.put("principal", principal);
    body.put("operation", operation);
    String account = principal.split(":")[4];
    body.put("instanceArn", "arn:aws:ec2:us-east-1:" + account + ":instance/i-0123456789abcdef0");
    if (role != null) {
      body.put("roleArn", role);
    }
    if (context != null) {
      body.set("context", Fixtures.json(context));
    }
    Response r = api.post("/v1/decisions/instance-profile", body.toString());
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  static void assertDecision(String expected, JsonNode answer) {
    assertEquals(expected, answer.get("decision").asText(), answer::toString);
    assertEquals(expected.equals("allowed"), answer.get("allowed").asBoolean());
  }

  static Set<String> findings(JsonNode answer) {
    Set<String> codes = new TreeSet<>();
    answer.get("findings").forEach(f -> codes.add(f.get("code").asText()));
    return codes;
  }

  static String findingMessage(JsonNode answer, String code) {
    for (JsonNode f : answer.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f.get("message").asText();
      }
    }
    return "";
  }

  /** The check was allowed by a statement of {@code policy} at {@code version} (Sid if given). */
  static void assertMatched(JsonNode check, String policy, String version, String sid) {
    assertEquals("allowed", check.get("decision").asText(), check::toString);
    boolean found = false;
    for (JsonNode m : check.get("matchedStatements")) {
      found |=
          m.get("sourcePolicyId").asText().equals(policy)
              && m.path("versionId").asText().equals(version)
              && (sid == null || m.path("sid").asText().equals(sid))
              && m.get("effect").asText().equals("Allow");
    }
    assertTrue(found, () -> policy + " " + version + " " + sid + " not matched in " + check);
  }

  /** Some statement of a policy whose id starts with {@code prefix} matched with {@code effect}. */
  static void assertMatchedEffect(JsonNode check, String prefix, String effect) {
    boolean found = false;
    for (JsonNode m : check.get("matchedStatements")) {
      found |=
          m.get("sourcePolicyId").asText().startsWith(prefix)
              && m.get("effect").asText().equals(effect);
    }
    assertTrue(found, () -> prefix + " " + effect + " not matched in " + check);
  }

  static String layerDecision(JsonNode check, String layer) {
    for (JsonNode l : check.get("layers")) {
      if (l.get("layer").asText().equals(layer)) {
        return l.get("decision").asText();
      }
    }
    return "absent";
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  static ObjectNode policyNamed(JsonNode document, String policyName) {
    for (JsonNode p : document.get("Policies")) {
      if (p.get("PolicyName").asText().equals(policyName)) {
        return (ObjectNode) p;
      }
    }
    throw new AssertionError(policyName + " is not in the fixture");
  }

  static ObjectNode versionOf(JsonNode document, String policyName, String versionId) {
    for (JsonNode p : document.get("Policies")) {
      if (p.get("PolicyName").asText().equals(policyName)) {
        for (JsonNode v : p.get("PolicyVersionList")) {
          if (v.get("VersionId").asText().equals(versionId)) {
            return (ObjectNode) v;
          }
        }
      }
    }
    throw new AssertionError(policyName + " " + versionId + " is not in the fixture");
  }

  static JsonNode versionDocument(JsonNode document, String policyName, String versionId) {
    return versionOf(document, policyName, versionId).get("Document");
  }

  static void remove(ObjectNode document, String list, Predicate<JsonNode> which) {
    ArrayNode entries = (ArrayNode) document.get(list);
    int before = entries.size();
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (which.test(entries.get(i))) {
        entries.remove(i);
      }
    }
    assertTrue(entries.size() < before, "nothing removed from " + list);
  }

  static long revision() {
    return service.count("SELECT revision FROM store_revision");
  }

  static long count(String table, String account) {
    return service.count("SELECT count(*) FROM " + table + " WHERE account_id = '" + account + "'");
  }

  static Map<String, Long> tableCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String table :
        List.of(
            "account",
            "iam_user",
            "iam_group",
            "group_membership",
            "iam_role",
            "managed_policy",
            "managed_policy_version",
            "inline_policy",
            "policy_attachment",
            "instance_profile",
            "change_log")) {
      out.put(table, service.count("SELECT count(*) FROM " + table));
    }
    return out;
  }
}
