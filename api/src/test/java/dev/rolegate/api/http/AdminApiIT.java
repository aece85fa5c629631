package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin resources over HTTP: each entity's life cycle, IAM's rules (case-insensitive names,
 * delete conflicts, the version model, quotas), the revision and change log of every write, and
 * decisions that follow the writes.
 */
class AdminApiIT {
  static final String ACCOUNT = "111122223333";
  static final String A = "/v1/accounts/" + ACCOUNT;
  static final String INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
  static final String TRUST_EC2 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

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

  static String doc(String effect, String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\""
        + effect
        + "\",\"Action\":\""
        + action
        + "\",\"Resource\":\""
        + resource
        + "\"}]}";
  }

  static String policyArn(String name) {
    return "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
  }

  static Response ok(Response r) {
    assertEquals(200, r.status(), r::toString);
    return r;
  }

  static Response refused(Response r, int status, String code) {
    assertEquals(status, r.status(), r::toString);
    assertEquals(code, r.code(), r::toString);
    assertTrue(
        r.header("Content-Type").orElse("").startsWith("application/problem+json"), r::toString);
    return r;
  }

  static long revision(Response r) {
    assertTrue(r.json().has("revision"), r::toString);
    return r.json().get("revision").asLong();
  }

  static String etag(long revision) {
    return "\"" + revision + "\"";
  }

  static long storeRevision() {
    return service.count("SELECT revision FROM store_revision");
  }

  static Response putIf(String path, String body, String ifMatch) {
    return api.send("PUT", path, body, Map.of("If-Match", ifMatch));
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> versionIds(JsonNode versions) {
    List<String> out = new ArrayList<>();
    versions.forEach(v -> out.add(v.get("versionId").asText()));
    return out;
  }

  /** Asserts each write got a strictly larger revision than the one before. */
  static void increasing(long... revisions) {
    for (int i = 1; i < revisions.length; i++) {
      assertTrue(
          revisions[i] > revisions[i - 1],
          "revision " + revisions[i] + " is not larger than " + revisions[i - 1]);
    }
  }

  // ---- life cycles

  @Test
  void userIsCreatedReadListedReplacedAndDeleted() {
    Response created =
        ok(api.put(A + "/users/u-life", "{\"path\":\"/eng/\",\"tags\":{\"team\":\"blue\"}}"));
    long r1 = revision(created);
    assertEquals(etag(r1), created.header("ETag").orElseThrow());
    JsonNode entity = created.json().get("entity");
    assertEquals("u-life", entity.get("name").asText());
    assertEquals("arn:aws:iam::111122223333:user/eng/u-life", entity.get("arn").asText());
    assertTrue(entity.get("id").asText().startsWith("AIDA"), entity::toString);

    Response read = ok(api.get(A + "/users/u-life"));
    assertEquals(etag(r1), read.header("ETag").orElseThrow());
    assertEquals(r1, read.json().get("revision").asLong());
    assertEquals("/eng/", read.json().get("path").asText());
    assertEquals("blue", read.json().at("/tags/team").asText());
    assertTrue(texts(ok(api.get(A + "/users")).json().get("users")).contains("u-life"));

    Response replaced =
        ok(
            putIf(
                A + "/users/u-life",
                "{\"path\":\"/eng/\",\"tags\":{\"team\":\"green\"}}",
                etag(r1)));
    long r2 = revision(replaced);
    increasing(r1, r2);
    assertEquals(entity.get("id"), replaced.json().at("/entity/id"), "a replace keeps the id");
    assertEquals("green", ok(api.get(A + "/users/u-life")).json().at("/tags/team").asText());

    refused(putIf(A + "/users/u-life", "{}", etag(r1)), 412, "precondition_failed");
    refused(
        api.send("PUT", A + "/users/u-life", "{}", Map.of("If-None-Match", "*")),
        409,
        "already_exists");
    refused(
        api.send("DELETE", A + "/users/u-life", null, Map.of("If-Match", etag(r1))),
        412,
        "precondition_failed");
    assertEquals("green", ok(api.get(A + "/users/u-life")).json().at("/tags/team").asText());

    long r3 =
        revision(ok(api.send("DELETE", A + "/users/u-life", null, Map.of("If-Match", etag(r2)))));
    increasing(r2, r3);
    refused(api.get(A + "/users/u-life"), 404, "not_found");
    refused(api.delete(A + "/users/u-life"), 404, "not_found");
    assertFalse(texts(ok(api.get(A + "/users")).json().get("users")).contains("u-life"));
  }

  @Test
  void createWithIfNoneMatchOnlyWhenAbsent() {
    Response created = ok(api.send("PUT", A + "/groups/fresh", "{}", Map.of("If-None-Match", "*")));
    assertEquals(etag(revision(created)), created.header("ETag").orElseThrow());
    refused(
        api.send("PUT", A + "/groups/FRESH", "{}", Map.of("If-None-Match", "*")),
        409,
        "already_exists");
    refused(putIf(A + "/groups/never-made", "{}", "\"1\""), 404, "not_found");
    refused(putIf(A + "/groups/never-made", "{}", "*"), 412, "precondition_failed");
    refused(api.get(A + "/groups/never-made"), 404, "not_found");
    ok(putIf(A + "/groups/fresh", "{}", "*"));
  }

  @Test
  void groupMembershipIsTheUsersGroupListAndBlocksDeletingTheGroup() {
    String inline = doc("Allow", "ec2:Describe*", "*");
    long g1 =
        revision(
            ok(api.put(A + "/groups/devs", "{\"inlinePolicies\":{\"Describe\":" + inline + "}}")));
    long g2 = revision(ok(api.put(A + "/groups/ops", "{\"path\":\"/teams/\"}")));
    Response group = ok(api.get(A + "/groups/devs"));
    assertEquals(
        "ec2:Describe*", group.json().at("/inlinePolicies/Describe/Statement/0/Action").asText());
    assertEquals(
        "arn:aws:iam::111122223333:group/teams/ops",
        ok(api.get(A + "/groups/ops")).json().get("arn").asText());
    List<String> groups = texts(ok(api.get(A + "/groups")).json().get("groups"));
    assertTrue(groups.containsAll(List.of("devs", "ops")), groups::toString);

    long u1 = revision(ok(api.put(A + "/users/member", "{\"groups\":[\"ops\",\"devs\"]}")));
    assertEquals(
        List.of("ops", "devs"),
        texts(ok(api.get(A + "/users/member")).json().get("groups")),
        "groups are read back in the order written");

    long before = storeRevision();
    long changes = service.count("SELECT count(*) FROM change_log");
    Response conflict = refused(api.delete(A + "/groups/devs"), 409, "delete_conflict");
    assertTrue(conflict.json().get("message").asText().contains("`member`"), conflict::toString);
    assertEquals(before, storeRevision(), "a refused delete does not bump the revision");
    assertEquals(changes, service.count("SELECT count(*) FROM change_log"));
    ok(api.get(A + "/groups/devs"));

    long u2 = revision(ok(api.put(A + "/users/member", "{\"groups\":[\"ops\"]}")));
    long g3 = revision(ok(api.delete(A + "/groups/devs")));
    refused(api.get(A + "/groups/devs"), 404, "not_found");
    assertEquals(List.of("ops"), texts(ok(api.get(A + "/users/member")).json().get("groups")));
    increasing(g1, g2, u1, u2, g3);

    // Deleting a user removes its memberships, so the group can go next.
    long u3 = revision(ok(api.delete(A + "/users/member")));
    long g4 = revision(ok(api.delete(A + "/groups/ops")));
    increasing(g3, u3, g4);
  }

  /**
   * rolegate cannot know an account's quotas, so it takes what a raised quota allows: 20 managed
   * policies on a role and a trust policy of 4,096 characters (the defaults are 10 and 2,048).
   */
  @Test
  void rolesMayUseRaisedQuotasButNoMore() {
    List<String> arns = new ArrayList<>();
    for (int i = 1; i <= 21; i++) {
      ok(api.put(A + "/policies/Quota" + i, "{\"document\":" + doc("Allow", "s3:*", "*") + "}"));
      arns.add("\"" + policyArn("Quota" + i) + "\"");
    }
    StringBuilder services = new StringBuilder("\"ec2.amazonaws.com\"");
    while (services.length() < 3_000) {
      services.append(",\"svc").append(services.length()).append(".example.com\"");
    }
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":["
            + services
            + "]},\"Action\":\"sts:AssumeRole\"}]}";
    ok(
        api.put(
            A + "/roles/quota",
            "{\"trustPolicy\":"
                + trust
                + ",\"attachedPolicies\":["
                + String.join(",", arns.subList(0, 20))
                + "]}"));
    refused(
        api.put(
            A + "/roles/quota",
            "{\"trustPolicy\":"
                + trust
                + ",\"attachedPolicies\":["
                + String.join(",", arns)
                + "]}"),
        400,
        "invalid_request");
  }

  @Test
  void roleWithInlineAttachedBoundaryAndInstanceProfile() {
    long p1 =
        revision(
            ok(
                api.put(
                    A + "/policies/RoleBoundary",
                    "{\"document\":" + doc("Allow", "s3:*", "*") + "}")));
    long p2 =
        revision(
            ok(
                api.put(
                    A + "/policies/RoleAttached",
                    "{\"path\":\"/app/\",\"document\":"
                        + doc("Allow", "s3:GetObject", "*")
                        + "}")));
    String attachedArn = "arn:aws:iam::111122223333:policy/app/RoleAttached";
    assertEquals(attachedArn, ok(api.get(A + "/policies/RoleAttached")).json().get("arn").asText());
    List<String> policies = texts(ok(api.get(A + "/policies")).json().get("policies"));
    assertTrue(
        policies.containsAll(List.of(attachedArn, policyArn("RoleBoundary"))), policies::toString);

    String body =
        "{\"trustPolicy\":"
            + TRUST_EC2
            + ",\"inlinePolicies\":{\"Logs\":"
            + doc("Allow", "logs:PutLogEvents", "*")
            + "},\"attachedPolicies\":[\""
            + attachedArn
            + "\"],\"permissionsBoundary\":\""
            + policyArn("RoleBoundary")
            + "\",\"tags\":{\"env\":\"prod\"}}";
    long r1 = revision(ok(api.put(A + "/roles/web", body)));
    Response role = ok(api.get(A + "/roles/web"));
    assertEquals(etag(r1), role.header("ETag").orElseThrow());
    assertEquals("arn:aws:iam::111122223333:role/web", role.json().get("arn").asText());
    assertEquals(
        "ec2.amazonaws.com", role.json().at("/trustPolicy/Statement/0/Principal/Service").asText());
    assertEquals(
        "logs:PutLogEvents", role.json().at("/inlinePolicies/Logs/Statement/0/Action").asText());
    assertEquals(List.of(attachedArn), texts(role.json().get("attachedPolicies")));
    assertEquals(policyArn("RoleBoundary"), role.json().get("permissionsBoundary").asText());
    assertEquals("prod", role.json().at("/tags/env").asText());
    assertTrue(texts(ok(api.get(A + "/roles")).json().get("roles")).contains("web"));

    long ip1 = revision(ok(api.put(A + "/instance-profiles/web-profile", "{\"role\":\"web\"}")));
    Response profile = ok(api.get(A + "/instance-profiles/web-profile"));
    assertEquals("web", profile.json().get("role").asText());
    assertEquals(
        "arn:aws:iam::111122223333:instance-profile/web-profile",
        profile.json().get("arn").asText());
    assertTrue(
        texts(ok(api.get(A + "/instance-profiles")).json().get("instanceProfiles"))
            .contains("web-profile"));

    long before = storeRevision();
    refused(api.delete(A + "/roles/web"), 409, "delete_conflict");
    refused(api.delete(A + "/policies/RoleAttached"), 409, "delete_conflict");
    refused(api.delete(A + "/policies/RoleBoundary"), 409, "delete_conflict");
    assertEquals(before, storeRevision(), "refused deletes do not bump the revision");
    ok(api.get(A + "/roles/web"));
    ok(api.get(A + "/policies/RoleAttached"));

    // Replacing the profile without a role keeps its id and frees the role.
    String profileId = profile.json().get("id").asText();
    long ip2 = revision(ok(api.put(A + "/instance-profiles/web-profile", "{}")));
    Response emptied = ok(api.get(A + "/instance-profiles/web-profile"));
    assertTrue(emptied.json().get("role").isNull(), emptied::toString);
    assertEquals(profileId, emptied.json().get("id").asText());

    // The role without its attachment and boundary: the policies are free to go.
    long r2 = revision(ok(api.put(A + "/roles/web", "{\"trustPolicy\":" + TRUST_EC2 + "}")));
    Response bare = ok(api.get(A + "/roles/web"));
    assertEquals(0, bare.json().get("attachedPolicies").size());
    assertEquals(0, bare.json().get("inlinePolicies").size());
    assertTrue(bare.json().get("permissionsBoundary").isNull());
    long d1 = revision(ok(api.delete(A + "/policies/RoleAttached")));
    long d2 = revision(ok(api.delete(A + "/policies/RoleBoundary")));
    long d3 = revision(ok(api.delete(A + "/roles/web")));
    long d4 = revision(ok(api.delete(A + "/instance-profiles/web-profile")));
    increasing(p1, p2, r1, ip1, ip2, r2, d1, d2, d3, d4);
    refused(api.get(A + "/policies/RoleAttached"), 404, "not_found");
    refused(api.get(A + "/roles/web"), 404, "not_found");
    refused(api.get(A + "/instance-profiles/web-profile"), 404, "not_found");
  }

  @Test
  void userWithInlineAttachedAndBoundary() {
    ok(api.put(A + "/policies/UserBoundary", "{\"document\":" + doc("Allow", "*", "*") + "}"));
    ok(api.put(A + "/policies/UserAttached", "{\"document\":" + doc("Allow", "ec2:*", "*") + "}"));
    String body =
        "{\"inlinePolicies\":{\"Mine\":"
            + doc("Deny", "iam:*", "*")
            + "},\"attachedPolicies\":[\""
            + policyArn("UserAttached")
            + "\"],\"permissionsBoundary\":\""
            + policyArn("UserBoundary")
            + "\"}";
    ok(api.put(A + "/users/bounded", body));
    JsonNode user = ok(api.get(A + "/users/bounded")).json();
    assertEquals("Deny", user.at("/inlinePolicies/Mine/Statement/0/Effect").asText());
    assertEquals(List.of(policyArn("UserAttached")), texts(user.get("attachedPolicies")));
    assertEquals(policyArn("UserBoundary"), user.get("permissionsBoundary").asText());
    refused(api.delete(A + "/policies/UserBoundary"), 409, "delete_conflict");
    ok(api.put(A + "/users/bounded", "{}"));
    ok(api.delete(A + "/policies/UserBoundary"));
    ok(api.delete(A + "/policies/UserAttached"));
  }

  // ---- IAM's rules

  @Test
  void namesAreUniqueCaseInsensitively() {
    Response first = ok(api.put(A + "/users/alice", "{\"tags\":{\"v\":\"1\"}}"));
    String id = first.json().at("/entity/id").asText();
    Response second = ok(api.put(A + "/users/Alice", "{\"tags\":{\"v\":\"2\"}}"));
    assertEquals(id, second.json().at("/entity/id").asText(), "the same user was updated");
    increasing(revision(first), revision(second));
    Response read = ok(api.get(A + "/users/ALICE"));
    assertEquals(id, read.json().get("id").asText());
    assertEquals("2", read.json().at("/tags/v").asText());
    long named =
        texts(ok(api.get(A + "/users")).json().get("users")).stream()
            .filter(n -> n.equalsIgnoreCase("alice"))
            .count();
    assertEquals(1, named);
    assertEquals(1, service.count("SELECT count(*) FROM iam_user WHERE lower(name) = 'alice'"));

    String gid = ok(api.put(A + "/groups/Ops-Team", "{}")).json().at("/entity/id").asText();
    assertEquals(gid, ok(api.put(A + "/groups/ops-team", "{}")).json().at("/entity/id").asText());

    String policyId =
        ok(api.put(A + "/policies/CasePolicy", "{\"document\":" + doc("Allow", "s3:*", "*") + "}"))
            .json()
            .at("/entity/id")
            .asText();
    Response again =
        ok(
            api.put(
                A + "/policies/casepolicy", "{\"document\":" + doc("Allow", "ec2:*", "*") + "}"));
    assertEquals(policyId, again.json().at("/entity/id").asText());
    assertEquals("v2", again.json().at("/entity/defaultVersionId").asText());

    // Group references resolve case-insensitively too.
    ok(api.put(A + "/users/alice", "{\"groups\":[\"OPS-TEAM\"]}"));
    refused(api.delete(A + "/groups/ops-team"), 409, "delete_conflict");
  }

  @Test
  void managedPolicyVersions() {
    String path = A + "/policies/Versioned";
    Response v1 = ok(api.put(path, "{\"document\":" + doc("Allow", "s3:GetObject", "*") + "}"));
    assertEquals("v1", v1.json().at("/entity/defaultVersionId").asText());
    assertEquals(1, v1.json().at("/entity/versions").size());

    Response v2 = ok(api.put(path, "{\"document\":" + doc("Allow", "s3:PutObject", "*") + "}"));
    assertEquals("v2", v2.json().at("/entity/defaultVersionId").asText());
    JsonNode versions = v2.json().at("/entity/versions");
    assertEquals(2, versions.size());
    assertEquals("v1", versions.get(0).get("versionId").asText());
    assertFalse(versions.get(0).get("isDefault").asBoolean());
    assertTrue(versions.get(1).get("isDefault").asBoolean());
    assertEquals("s3:PutObject", versions.get(1).at("/document/Statement/0/Action").asText());

    Response v3 =
        ok(
            api.post(
                path + "/versions",
                "{\"document\":"
                    + doc("Allow", "s3:ListBucket", "*")
                    + ",\"setAsDefault\":false}"));
    assertEquals("v3", v3.json().get("versionId").asText());
    assertEquals("v2", v3.json().at("/entity/defaultVersionId").asText());

    Response readBack = ok(api.get(path));
    assertEquals(etag(revision(v3)), readBack.header("ETag").orElseThrow());
    assertEquals("v2", readBack.json().get("defaultVersionId").asText());

    Response setDefault = ok(api.put(path + "/default-version", "{\"versionId\":\"v3\"}"));
    assertEquals("v3", setDefault.json().at("/entity/defaultVersionId").asText());

    long before = storeRevision();
    Response conflict = refused(api.delete(path + "/versions/v3"), 409, "delete_conflict");
    assertTrue(conflict.json().get("message").asText().contains("default"), conflict::toString);
    refused(api.delete(path + "/versions/v9"), 404, "not_found");
    refused(api.put(path + "/default-version", "{\"versionId\":\"v9\"}"), 404, "not_found");
    assertEquals(before, storeRevision());

    Response deleted = ok(api.delete(path + "/versions/v1"));
    assertEquals(List.of("v2", "v3"), versionIds(deleted.json().at("/entity/versions")));

    long r4 =
        revision(
            ok(api.post(path + "/versions", "{\"document\":" + doc("Allow", "a:b", "*") + "}")));
    long r5 =
        revision(
            ok(api.post(path + "/versions", "{\"document\":" + doc("Allow", "a:c", "*") + "}")));
    Response fifth =
        ok(api.post(path + "/versions", "{\"document\":" + doc("Allow", "a:d", "*") + "}"));
    assertEquals("v6", fifth.json().get("versionId").asText());
    assertEquals(5, fifth.json().at("/entity/versions").size());
    assertEquals("v3", fifth.json().at("/entity/defaultVersionId").asText());

    long full = storeRevision();
    refused(
        api.post(path + "/versions", "{\"document\":" + doc("Allow", "a:e", "*") + "}"),
        409,
        "limit_exceeded");
    refused(
        api.put(path, "{\"document\":" + doc("Allow", "a:e", "*") + "}"), 409, "limit_exceeded");
    assertEquals(full, storeRevision());
    assertEquals(5, ok(api.get(path)).json().get("versions").size());

    // IAM never hands out a version id twice: after v6 is deleted, the next version is v7.
    ok(api.delete(path + "/versions/v6"));
    Response again =
        ok(api.post(path + "/versions", "{\"document\":" + doc("Allow", "a:f", "*") + "}"));
    assertEquals("v7", again.json().get("versionId").asText());

    increasing(
        revision(v1),
        revision(v2),
        revision(v3),
        revision(setDefault),
        revision(deleted),
        r4,
        r5,
        revision(fifth));

    // A policy's path cannot change.
    refused(
        api.put(path, "{\"path\":\"/other/\",\"document\":" + doc("Allow", "a:f", "*") + "}"),
        409,
        "already_exists");
  }

  @Test
  void unknownReferencesAreRefusedAndNothingIsWritten() {
    long before = storeRevision();
    long changes = service.count("SELECT count(*) FROM change_log");
    refused(api.put(A + "/users/orphan", "{\"groups\":[\"ghosts\"]}"), 422, "unknown_reference");
    refused(
        api.put(A + "/users/orphan", "{\"attachedPolicies\":[\"" + policyArn("Ghost") + "\"]}"),
        422,
        "unknown_reference");
    refused(
        api.put(A + "/users/orphan", "{\"permissionsBoundary\":\"" + policyArn("Ghost") + "\"}"),
        422,
        "unknown_reference");
    refused(
        api.put(A + "/groups/orphans", "{\"attachedPolicies\":[\"" + policyArn("Ghost") + "\"]}"),
        422,
        "unknown_reference");
    refused(
        api.put(
            A + "/roles/orphan",
            "{\"trustPolicy\":"
                + TRUST_EC2
                + ",\"attachedPolicies\":[\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]}"),
        422,
        "unknown_reference");
    refused(
        api.put(A + "/instance-profiles/orphan", "{\"role\":\"ghost\"}"), 422, "unknown_reference");
    assertEquals(before, storeRevision());
    assertEquals(changes, service.count("SELECT count(*) FROM change_log"));
    refused(api.get(A + "/users/orphan"), 404, "not_found");
    refused(api.get(A + "/groups/orphans"), 404, "not_found");
    refused(api.get(A + "/roles/orphan"), 404, "not_found");
    refused(api.get(A + "/instance-profiles/orphan"), 404, "not_found");
  }

  // ---- revisions and the change log

  @Test
  void everyWriteIsInTheChangeLogWithActorBeforeAndAfter() {
    Response token =
        api.post("/v1/tokens", "{\"name\":\"change-bot\",\"scopes\":[\"admin\",\"audit\"]}");
    assertEquals(201, token.status(), token::toString);
    Api bot = api.as(token.json().get("token").asText());
    String arn = "arn:aws:iam::111122223333:user/logged";

    long created = revision(ok(bot.put(A + "/users/logged", "{}")));
    long updated = revision(ok(api.put(A + "/users/logged", "{\"tags\":{\"k\":\"v\"}}")));
    long deleted = revision(ok(bot.delete(A + "/users/logged")));
    increasing(created, updated, deleted);
    assertEquals(deleted, storeRevision());

    Response log = ok(api.get("/v1/changes?entityArn=" + arn));
    JsonNode changes = log.json().get("changes");
    assertEquals(3, changes.size(), log::toString);

    JsonNode d = changes.get(0);
    assertEquals(deleted, d.get("revision").asLong());
    assertEquals("deleted", d.get("change").asText());
    assertEquals("change-bot", d.get("actor").asText());
    assertEquals("user", d.get("entityKind").asText());
    assertEquals(ACCOUNT, d.get("accountId").asText());
    assertEquals("v", d.at("/before/tags/k").asText());
    assertTrue(d.get("after").isNull(), d::toString);

    JsonNode u = changes.get(1);
    assertEquals(updated, u.get("revision").asLong());
    assertEquals("updated", u.get("change").asText());
    assertEquals("bootstrap", u.get("actor").asText());
    assertEquals(0, u.at("/before/tags").size(), u::toString);
    assertEquals("v", u.at("/after/tags/k").asText());
    assertEquals("logged", u.at("/after/name").asText());

    JsonNode c = changes.get(2);
    assertEquals(created, c.get("revision").asLong());
    assertEquals("created", c.get("change").asText());
    assertEquals("change-bot", c.get("actor").asText());
    assertTrue(c.get("before").isNull(), c::toString);
    assertEquals("logged", c.at("/after/name").asText());

    // The newest change of the whole store is the delete, and pages follow the cursor.
    JsonNode newest = ok(api.get("/v1/changes?limit=1")).json();
    assertEquals(deleted, newest.at("/changes/0/revision").asLong());
    JsonNode next =
        ok(api.get("/v1/changes?limit=1&cursor=" + newest.get("nextCursor").asText())).json();
    assertTrue(next.at("/changes/0/revision").asLong() < deleted, next::toString);

    // A policy version write logs before and after.
    long p1 =
        revision(
            ok(
                api.put(
                    A + "/policies/Logged", "{\"document\":" + doc("Allow", "s3:*", "*") + "}")));
    long p2 =
        revision(
            ok(api.put(A + "/policies/Logged", "{\"document\":" + doc("Deny", "s3:*", "*") + "}")));
    increasing(deleted, p1, p2);
    JsonNode pc = ok(api.get("/v1/changes?entityArn=" + policyArn("Logged"))).json().get("changes");
    assertEquals(2, pc.size(), pc::toString);
    assertEquals(p2, pc.get(0).get("revision").asLong());
    assertEquals("updated", pc.get(0).get("change").asText());
    assertEquals("policy", pc.get(0).get("entityKind").asText());
    assertEquals(1, pc.get(0).at("/before/versions").size(), pc::toString);
    assertEquals(2, pc.get(0).at("/after/versions").size(), pc::toString);
    assertEquals("created", pc.get(1).get("change").asText());
  }

  // ---- decisions follow the writes

  @Test
  void decisionsReflectAdminWrites() {
    String role = "arn:aws:iam::111122223333:role/ec2-app";
    String principal = "arn:aws:iam::111122223333:user/deployer";
    String decide =
        "{\"principal\":\""
            + principal
            + "\",\"operation\":\"associate\",\"instanceArn\":\""
            + INSTANCE
            + "\",\"roleArn\":\""
            + role
            + "\"}";

    Response unknown = ok(api.post("/v1/decisions/instance-profile", decide));
    assertEquals("implicitDeny", unknown.json().get("decision").asText());

    ok(api.put(A + "/roles/ec2-app", "{\"trustPolicy\":" + TRUST_EC2 + "}"));
    ok(api.put(A + "/instance-profiles/ec2-app", "{\"role\":\"ec2-app\"}"));
    String allow =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"ec2:AssociateIamInstanceProfile\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\""
            + role
            + "\"}]}";
    ok(api.put(A + "/policies/AttachRoles", "{\"document\":" + allow + "}"));
    long granted =
        revision(
            ok(
                api.put(
                    A + "/users/deployer",
                    "{\"attachedPolicies\":[\"" + policyArn("AttachRoles") + "\"]}")));
    Response allowed = ok(api.post("/v1/decisions/instance-profile", decide));
    assertEquals("allowed", allowed.json().get("decision").asText(), allowed::toString);
    assertEquals(granted, allowed.json().get("revision").asLong());

    ok(
        api.put(
            A + "/policies/NoPassRole", "{\"document\":" + doc("Deny", "iam:PassRole", "*") + "}"));
    long denied =
        revision(
            ok(
                api.put(
                    A + "/users/deployer",
                    "{\"attachedPolicies\":[\""
                        + policyArn("AttachRoles")
                        + "\",\""
                        + policyArn("NoPassRole")
                        + "\"]}")));
    Response explicit = ok(api.post("/v1/decisions/instance-profile", decide));
    assertEquals("explicitDeny", explicit.json().get("decision").asText(), explicit::toString);
    assertFalse(explicit.json().get("allowed").asBoolean());
    assertEquals(denied, explicit.json().get("revision").asLong());
    assertFalse(explicit.json().has("remedy"), "an Allow cannot fix an explicit deny");

    // Through a group: the Deny moves to a group the user joins.
    ok(
        api.put(
            A + "/users/deployer",
            "{\"attachedPolicies\":[\"" + policyArn("AttachRoles") + "\"]}"));
    assertEquals(
        "allowed",
        ok(api.post("/v1/decisions/instance-profile", decide)).json().get("decision").asText());
    ok(
        api.put(
            A + "/groups/locked", "{\"attachedPolicies\":[\"" + policyArn("NoPassRole") + "\"]}"));
    ok(
        api.put(
            A + "/users/deployer",
            "{\"groups\":[\"locked\"],\"attachedPolicies\":[\""
                + policyArn("AttachRoles")
                + "\"]}"));
    assertEquals(
        "explicitDeny",
        ok(api.post("/v1/decisions/instance-profile", decide)).json().get("decision").asText());
    ok(
        api.put(
            A + "/users/deployer",
            "{\"attachedPolicies\":[\"" + policyArn("AttachRoles") + "\"]}"));

    // A new default version without PassRole denies; making v1 the default again allows.
    ok(
        api.put(
            A + "/policies/AttachRoles",
            "{\"document\":" + doc("Allow", "ec2:AssociateIamInstanceProfile", "*") + "}"));
    Response implicit = ok(api.post("/v1/decisions/instance-profile", decide));
    assertEquals("implicitDeny", implicit.json().get("decision").asText(), implicit::toString);
    assertEquals("iam:PassRole", implicit.json().at("/remedy/Statement/0/Action").asText());
    long restored =
        revision(
            ok(api.put(A + "/policies/AttachRoles/default-version", "{\"versionId\":\"v1\"}")));
    Response again = ok(api.post("/v1/decisions/instance-profile", decide));
    assertEquals("allowed", again.json().get("decision").asText(), again::toString);
    assertEquals(restored, again.json().get("revision").asLong());

    // A permissions boundary that does not grant PassRole caps the user.
    ok(
        api.put(
            A + "/policies/Cap",
            "{\"document\":" + doc("Allow", "ec2:AssociateIamInstanceProfile", "*") + "}"));
    ok(
        api.put(
            A + "/users/deployer",
            "{\"attachedPolicies\":[\""
                + policyArn("AttachRoles")
                + "\"],\"permissionsBoundary\":\""
                + policyArn("Cap")
                + "\"}"));
    Response capped = ok(api.post("/v1/decisions/instance-profile", decide));
    assertEquals("implicitDeny", capped.json().get("decision").asText(), capped::toString);
  }
}
