package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests, endpoint by endpoint: each is refused with its status, a stable code and,
 * where it points into the body, the JSON path; as problem+json; and without changing the store,
 * the change log or the decision log. None may become a 500.
 */
class BadInputIT {
  static final String A = "/v1/accounts/111122223333";
  static final String USER = "arn:aws:iam::111122223333:user/existing";
  static final String INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
  static final String ROLE = "arn:aws:iam::111122223333:role/web";
  static final String DOC =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
          + "\"Resource\":\"*\"}]}";
  static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  static final String DECISION =
      "{\"principal\":\""
          + USER
          + "\",\"operation\":\"associate\",\"instanceArn\":\""
          + INSTANCE
          + "\",\"roleArn\":\""
          + ROLE
          + "\"}";
  static final String NO_TOKEN = "<none>";
  static final String DECIDER = "<decider>";

  /** What must not change: revision, change log, decision log, users, tokens. */
  static final String STATE =
      "SELECT (SELECT revision FROM store_revision), (SELECT count(*) FROM change_log),"
          + " (SELECT count(*) FROM decision_log), (SELECT count(*) FROM iam_user),"
          + " (SELECT count(*) FROM api_token)";

  static RunningService service;
  static Api api;
  static String deciderToken;

  /** One malformed request and how it must be refused ({@code jsonPath} null: not checked). */
  record Case(
      String name,
      String method,
      String path,
      String body,
      Map<String, String> headers,
      String token,
      int status,
      String code,
      String jsonPath) {
    @Override
    public String toString() {
      return name;
    }

    Case at(String p) {
      return new Case(name, method, path, body, headers, token, status, code, p);
    }

    Case with(String header, String value) {
      return new Case(
          name, method, path, body, Map.of(header, value), token, status, code, jsonPath);
    }

    Case headers(Map<String, String> h) {
      return new Case(name, method, path, body, h, token, status, code, jsonPath);
    }

    Case as(String t) {
      return new Case(name, method, path, body, headers, t, status, code, jsonPath);
    }
  }

  static Case c(String name, String method, String path, String body, int status, String code) {
    return new Case(name, method, path, body, Map.of(), RunningService.TOKEN, status, code, null);
  }

  static String statement(String effect, String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\""
        + effect
        + "\",\"Action\":\""
        + action
        + "\",\"Resource\":\""
        + resource
        + "\"}]}";
  }

  static String decision(String field, String json) {
    return "{\"principal\":\""
        + USER
        + "\",\"operation\":\"associate\",\"instanceArn\":\""
        + INSTANCE
        + "\",\"roleArn\":\""
        + ROLE
        + "\",\""
        + field
        + "\":"
        + json
        + "}";
  }

  static String bigDecision() {
    return decision("context", "{\"aws:SourceIp\":\"" + "x".repeat(70 * 1024) + "\"}");
  }

  /** A policy whose text exceeds IAM's 6,144 characters without whitespace. */
  static String bigPolicy() {
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      actions.add("\"s3:GetObjectNumber" + i + "\"");
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
        + String.join(",", actions)
        + "],\"Resource\":\"*\"}]}";
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Case> cases() {
    String u = A + "/users/newcomer";
    String g = A + "/groups/newgroup";
    String r = A + "/roles/newrole";
    String ip = A + "/instance-profiles/newprofile";
    String p = A + "/policies/NewPolicy";
    String ep = A + "/policies/Existing";
    String d = "/v1/decisions/instance-profile";
    String opa = "/v1/data/rolegate/instance_profile";
    String allow = opa + "/allow";
    List<String> elevenGroups = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      elevenGroups.add("\"g" + i + "\"");
    }
    return Stream.of(
        // ---- users: JSON
        c("user: malformed JSON", "PUT", u, "{\"path\":", 400, "malformed_json"),
        c("user: empty body", "PUT", u, "", 400, "malformed_json"),
        c("user: blank body", "PUT", u, "  \n ", 400, "malformed_json"),
        c("user: array body", "PUT", u, "[]", 400, "invalid_request"),
        c("user: string body", "PUT", u, "\"user\"", 400, "invalid_request"),
        c("user: null body", "PUT", u, "null", 400, "invalid_request"),
        c(
            "user: duplicate key",
            "PUT",
            u,
            "{\"path\":\"/\",\"path\":\"/a/\"}",
            400,
            "malformed_json"),
        c("user: trailing content", "PUT", u, "{} {}", 400, "malformed_json"),
        c("user: unknown field", "PUT", u, "{\"nmae\":\"x\"}", 400, "unknown_field").at("nmae"),
        // ---- users: types and values
        c("user: groups not an array", "PUT", u, "{\"groups\":\"g\"}", 400, "invalid_request")
            .at("groups"),
        c("user: group not a string", "PUT", u, "{\"groups\":[1]}", 400, "invalid_request")
            .at("groups[0]"),
        c("user: path not a string", "PUT", u, "{\"path\":7}", 400, "invalid_request").at("path"),
        c("user: tag key aws:", "PUT", u, "{\"tags\":{\"aws:team\":\"a\"}}", 400, "invalid_request")
            .at("tags.aws:team"),
        c("user: tag key AWS:", "PUT", u, "{\"tags\":{\"AWS:x\":\"a\"}}", 400, "invalid_request")
            .at("tags.AWS:x"),
        // U+0000, which PostgreSQL's text cannot keep: the client's mistake, not an outage (503).
        c(
            "user: NUL in a tag value",
            "PUT",
            u,
            "{\"tags\":{\"k\":\"a\\u0000b\"}}",
            400,
            "invalid_request"),
        c(
            "policy: NUL in an action",
            "PUT",
            p,
            "{\"document\":" + statement("Allow", "s3:Get\\u0000", "*") + "}",
            400,
            "invalid_request"),
        c("user: NUL in the path's name", "GET", A + "/users/a%00b", null, 400, "invalid_request"),
        c(
            "history: NUL in a filter",
            "GET",
            "/v1/decisions?principal=%00",
            null,
            400,
            "invalid_request"),
        c(
            "history: a year past 9999",
            "GET",
            "/v1/decisions?from=%2B999999999-12-31T23:59:59Z",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: a year before 1",
            "GET",
            "/v1/decisions?to=-000001-01-01T00:00:00Z",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit in other digits",
            "GET",
            "/v1/decisions?limit=%D9%A1",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit in fullwidth digits",
            "GET",
            "/v1/decisions?limit=%EF%BC%91",
            null,
            400,
            "invalid_parameter"),
        c(
            "user: a name not UTF-8 once decoded",
            "GET",
            A + "/users/%FF",
            null,
            400,
            "invalid_parameter"),
        c(
                "token: empty name",
                "POST",
                "/v1/tokens",
                "{\"name\":\"\",\"scopes\":[\"decide\"]}",
                400,
                "invalid_request")
            .at("name"),
        c(
                "token: Bootstrap",
                "POST",
                "/v1/tokens",
                "{\"name\":\"Bootstrap\",\"scopes\":[\"decide\"]}",
                400,
                "invalid_request")
            .at("name"),
        c(
                "decision: context keys that differ only in case",
                "POST",
                d,
                decision("context", "{\"aws:SourceIp\":\"1.2.3.4\",\"AWS:SOURCEIP\":\"5.6.7.8\"}"),
                400,
                "invalid_request")
            .at("context.AWS:SOURCEIP"),
        c(
                "decision: session policy with a wildcard in an action's service",
                "POST",
                d,
                decision("sessionPolicy", statement("Allow", "*:*", "*"))
                    .replace(USER, "arn:aws:sts::111122223333:assumed-role/Deployer/ci"),
                400,
                "invalid_policy")
            .at("sessionPolicy.Statement[0].Action"),
        c("decision: Content-Type garbage", "POST", d, DECISION, 415, "unsupported_media_type")
            .with("Content-Type", "garbage"),
        c("user: Content-Type text/json", "PUT", u, "{}", 415, "unsupported_media_type")
            .with("Content-Type", "text/json"),
        c("user: tag value not a string", "PUT", u, "{\"tags\":{\"k\":1}}", 400, "invalid_request")
            .at("tags.k"),
        c("user: tags an array", "PUT", u, "{\"tags\":[]}", 400, "invalid_request").at("tags"),
        c(
                "user: inline policies an array",
                "PUT",
                u,
                "{\"inlinePolicies\":[]}",
                400,
                "invalid_request")
            .at("inlinePolicies"),
        c(
                "user: attached policy is a role ARN",
                "PUT",
                u,
                "{\"attachedPolicies\":[\"arn:aws:iam::111122223333:role/x\"]}",
                400,
                "invalid_request")
            .at("attachedPolicies[0]"),
        c(
                "user: attached policy of another account",
                "PUT",
                u,
                "{\"attachedPolicies\":[\"arn:aws:iam::444455556666:policy/x\"]}",
                400,
                "invalid_request")
            .at("attachedPolicies[0]"),
        c(
                "user: attached policy listed twice",
                "PUT",
                u,
                "{\"attachedPolicies\":[\"arn:aws:iam::111122223333:policy/Existing\","
                    + "\"arn:aws:iam::111122223333:policy/existing\"]}",
                400,
                "invalid_request")
            .at("attachedPolicies[1]"),
        c(
                "user: boundary not an ARN",
                "PUT",
                u,
                "{\"permissionsBoundary\":\"nope\"}",
                400,
                "invalid_request")
            .at("permissionsBoundary"),
        c(
            "user: name with a space",
            "PUT",
            A + "/users/bad%20name",
            "{}",
            400,
            "invalid_parameter"),
        c("user: name with !", "PUT", A + "/users/bad!name", "{}", 400, "invalid_parameter"),
        c(
            "user: name too long",
            "PUT",
            A + "/users/" + "n".repeat(65),
            "{}",
            400,
            "invalid_parameter"),
        c("user: path without slashes", "PUT", u, "{\"path\":\"eng\"}", 400, "invalid_request")
            .at("path"),
        c(
                "user: path without trailing slash",
                "PUT",
                u,
                "{\"path\":\"/eng\"}",
                400,
                "invalid_request")
            .at("path"),
        c(
                "user: eleven groups",
                "PUT",
                u,
                "{\"groups\":[" + String.join(",", elevenGroups) + "]}",
                400,
                "invalid_request")
            .at("groups"),
        c(
                "user: group listed twice",
                "PUT",
                u,
                "{\"groups\":[\"g\",\"G\"]}",
                400,
                "invalid_request")
            .at("groups[1]"),
        // ---- users: policy documents
        c(
                "user: inline policy with a lower-case effect",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":" + statement("allow", "s3:*", "*") + "}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P.Statement[0].Effect"),
        c(
                "user: inline policy with a bad action",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":" + statement("Allow", "s3", "*") + "}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P.Statement[0].Action"),
        c(
                "user: inline policy with a wildcard in an action's service (IAM refuses it)",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":" + statement("Deny", "*:*", "*") + "}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P.Statement[0].Action"),
        c(
                "user: inline policy with an unknown statement element",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                    + "\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Bogus\":1}]}}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P.Statement[0].Bogus"),
        c(
                "user: inline policy text is not JSON",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":\"{not json\"}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P"),
        c(
                "user: inline policy is a number",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":5}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P"),
        c(
                "user: inline policy name invalid",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"a b\":" + DOC + "}}",
                400,
                "invalid_request")
            .at("inlinePolicies.a b"),
        c(
                "user: inline policies too large together",
                "PUT",
                u,
                "{\"inlinePolicies\":{\"P\":" + bigPolicy() + "}}",
                400,
                "invalid_policy")
            .at("inlinePolicies"),
        // ---- users: references and preconditions (refused inside the transaction)
        c("user: unknown group", "PUT", u, "{\"groups\":[\"ghosts\"]}", 422, "unknown_reference"),
        c(
            "user: unknown attached policy",
            "PUT",
            u,
            "{\"attachedPolicies\":[\"arn:aws:iam::111122223333:policy/Ghost\"]}",
            422,
            "unknown_reference"),
        c(
            "existing user: unknown boundary",
            "PUT",
            A + "/users/existing",
            "{\"permissionsBoundary\":\"arn:aws:iam::111122223333:policy/Ghost\"}",
            422,
            "unknown_reference"),
        c(
                "user: If-Match without quotes",
                "PUT",
                A + "/users/existing",
                "{}",
                400,
                "invalid_request")
            .with("If-Match", "5"),
        c("user: If-Match not a number", "PUT", A + "/users/existing", "{}", 400, "invalid_request")
            .with("If-Match", "\"abc\""),
        c("user: If-Match empty quotes", "PUT", A + "/users/existing", "{}", 400, "invalid_request")
            .with("If-Match", "\"\""),
        c("user: If-Match with a sign", "PUT", A + "/users/existing", "{}", 400, "invalid_request")
            .with("If-Match", "\"+5\""),
        c("user: If-Match negative", "PUT", A + "/users/existing", "{}", 400, "invalid_request")
            .with("If-Match", "\"-1\""),
        c(
                "user: If-Match and If-None-Match",
                "PUT",
                A + "/users/existing",
                "{}",
                400,
                "invalid_request")
            .headers(Map.of("If-Match", "\"1\"", "If-None-Match", "*")),
        c(
                "user: If-None-Match with a tag",
                "PUT",
                A + "/users/existing",
                "{}",
                400,
                "invalid_request")
            .with("If-None-Match", "\"1\""),
        c("user: stale If-Match", "PUT", A + "/users/existing", "{}", 412, "precondition_failed")
            .with("If-Match", "\"1\""),
        c(
                "user: stale If-Match on delete",
                "DELETE",
                A + "/users/existing",
                null,
                412,
                "precondition_failed")
            .with("If-Match", "\"1\""),
        c(
                "user: bad If-Match on delete",
                "DELETE",
                A + "/users/existing",
                null,
                400,
                "invalid_request")
            .with("If-Match", "one"),
        c(
                "user: If-None-Match on an existing user",
                "PUT",
                A + "/users/EXISTING",
                "{}",
                409,
                "already_exists")
            .with("If-None-Match", "*"),
        c("user: If-Match on a missing user", "PUT", u, "{}", 404, "not_found")
            .with("If-Match", "\"1\""),
        c("user: delete a missing user", "DELETE", u, null, 404, "not_found"),
        c("user: read a missing user", "GET", u, null, 404, "not_found"),
        // ---- accounts
        c(
            "account id too short",
            "PUT",
            "/v1/accounts/12345/users/x",
            "{}",
            400,
            "invalid_parameter"),
        c(
            "account id with letters",
            "GET",
            "/v1/accounts/11112222333a/users",
            null,
            400,
            "invalid_parameter"),
        c(
            "account id too long",
            "DELETE",
            "/v1/accounts/1111222233334/users/x",
            null,
            400,
            "invalid_parameter"),
        // ---- groups
        c("group: unknown field", "PUT", g, "{\"groups\":[]}", 400, "unknown_field").at("groups"),
        c("group: a boundary", "PUT", g, "{\"permissionsBoundary\":\"x\"}", 400, "unknown_field")
            .at("permissionsBoundary"),
        c(
                "group: inline policy with a bad action",
                "PUT",
                g,
                "{\"inlinePolicies\":{\"P\":" + statement("Allow", "ec2", "*") + "}}",
                400,
                "invalid_policy")
            .at("inlinePolicies.P.Statement[0].Action"),
        c(
            "group: unknown attached policy",
            "PUT",
            g,
            "{\"attachedPolicies\":[\"arn:aws:iam::111122223333:policy/Ghost\"]}",
            422,
            "unknown_reference"),
        c("group: with members", "DELETE", A + "/groups/members", null, 409, "delete_conflict"),
        // ---- roles
        c("role: no trust policy", "PUT", r, "{}", 400, "invalid_request").at("trustPolicy"),
        c("role: trust policy a number", "PUT", r, "{\"trustPolicy\":5}", 400, "invalid_policy")
            .at("trustPolicy"),
        c(
                "role: trust policy with a bad effect",
                "PUT",
                r,
                "{\"trustPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Permit\","
                    + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}}",
                400,
                "invalid_policy")
            .at("trustPolicy.Statement[0].Effect"),
        c(
                "role: trust policy as text with a bad effect",
                "PUT",
                r,
                "{\"trustPolicy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":"
                    + "\\\"Permit\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"ec2.amazonaws.com\\\"},"
                    + "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}",
                400,
                "invalid_policy")
            .at("trustPolicy.Statement[0].Effect"),
        c(
                "role: unknown field",
                "PUT",
                r,
                "{\"trustPolicy\":" + TRUST + ",\"role\":1}",
                400,
                "unknown_field")
            .at("role"),
        c(
            "role: in an instance profile",
            "DELETE",
            A + "/roles/held",
            null,
            409,
            "delete_conflict"),
        // ---- instance profiles
        c("instance profile: role a number", "PUT", ip, "{\"role\":5}", 400, "invalid_request")
            .at("role"),
        c(
                "instance profile: role name invalid",
                "PUT",
                ip,
                "{\"role\":\"a b\"}",
                400,
                "invalid_request")
            .at("role"),
        c("instance profile: roles", "PUT", ip, "{\"roles\":[]}", 400, "unknown_field").at("roles"),
        c(
            "instance profile: unknown role",
            "PUT",
            ip,
            "{\"role\":\"ghost\"}",
            422,
            "unknown_reference"),
        // ---- managed policies
        c("policy: no document", "PUT", p, "{}", 400, "invalid_request").at("document"),
        c(
                "policy: bad action",
                "PUT",
                p,
                "{\"document\":" + statement("Allow", "ec2", "*") + "}",
                400,
                "invalid_policy")
            .at("document.Statement[0].Action"),
        c(
                "policy: a wildcard in an action's service (IAM refuses it)",
                "PUT",
                p,
                "{\"document\":" + statement("Allow", "i?m:PassRole", "*") + "}",
                400,
                "invalid_policy")
            .at("document.Statement[0].Action"),
        c(
                "policy: bad action in text",
                "PUT",
                p,
                "{\"document\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":"
                    + "\\\"Allow\\\",\\\"Action\\\":\\\"ec2\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}",
                400,
                "invalid_policy")
            .at("document.Statement[0].Action"),
        c(
                "policy: unknown top-level element",
                "PUT",
                p,
                "{\"document\":{\"Version\":\"2012-10-17\",\"Statment\":[]}}",
                400,
                "invalid_policy")
            .at("document.Statment"),
        c("policy: document an array", "PUT", p, "{\"document\":[]}", 400, "invalid_policy")
            .at("document"),
        c(
                "policy: too large",
                "PUT",
                p,
                "{\"document\":" + bigPolicy() + "}",
                400,
                "invalid_policy")
            .at("document"),
        c(
            "policy: invalid name",
            "PUT",
            A + "/policies/bad*name",
            "{\"document\":" + DOC + "}",
            400,
            "invalid_parameter"),
        c(
            "policy: path changes",
            "PUT",
            ep,
            "{\"path\":\"/x/\",\"document\":" + DOC + "}",
            409,
            "already_exists"),
        c("policy: attached", "DELETE", ep, null, 409, "delete_conflict"),
        c(
            "policy: delete the default version",
            "DELETE",
            ep + "/versions/v1",
            null,
            409,
            "delete_conflict"),
        c(
            "policy: delete a missing version",
            "DELETE",
            ep + "/versions/v7",
            null,
            404,
            "not_found"),
        c(
            "policy: delete a version id that cannot be one",
            "DELETE",
            ep + "/versions/vv",
            null,
            400,
            "invalid_parameter"),
        c(
                "version: setAsDefault a string",
                "POST",
                ep + "/versions",
                "{\"document\":" + DOC + ",\"setAsDefault\":\"yes\"}",
                400,
                "invalid_request")
            .at("setAsDefault"),
        c(
                "version: unknown field",
                "POST",
                ep + "/versions",
                "{\"document\":" + DOC + ",\"default\":true}",
                400,
                "unknown_field")
            .at("default"),
        c(
                "version: bad statement",
                "POST",
                ep + "/versions",
                "{\"document\":" + statement("Allow", "s3:*", "arn:nope") + "}",
                400,
                "invalid_policy")
            .at("document.Statement[0].Resource"),
        c(
            "version: missing policy",
            "POST",
            p + "/versions",
            "{\"document\":" + DOC + "}",
            404,
            "not_found"),
        c("version: empty body", "POST", ep + "/versions", "", 400, "malformed_json"),
        c(
                "default version: not a version id",
                "PUT",
                ep + "/default-version",
                "{\"versionId\":\"1\"}",
                400,
                "invalid_request")
            .at("versionId"),
        c("default version: missing", "PUT", ep + "/default-version", "{}", 400, "invalid_request")
            .at("versionId"),
        c(
                "default version: a number",
                "PUT",
                ep + "/default-version",
                "{\"versionId\":1}",
                400,
                "invalid_request")
            .at("versionId"),
        c(
            "default version: unknown",
            "PUT",
            ep + "/default-version",
            "{\"versionId\":\"v9\"}",
            404,
            "not_found"),
        c(
                "default version: stale If-Match",
                "PUT",
                ep + "/default-version",
                "{\"versionId\":\"v1\"}",
                412,
                "precondition_failed")
            .with("If-Match", "\"999\""),
        // ---- import
        c("import: array body", "PUT", A + "/authorization-details", "[]", 400, "invalid_request"),
        c(
            "import: malformed",
            "PUT",
            A + "/authorization-details",
            "{\"UserDetailList\":[",
            400,
            "malformed_json"),
        c(
                "import: unknown nested field",
                "PUT",
                A + "/authorization-details",
                "{\"UserDetailList\":[{\"UserName\":\"x\",\"Path\":\"/\",\"Bogus\":1}]}",
                400,
                "invalid_request")
            .at("UserDetailList[0].Bogus"),
        c(
            "import: bad account",
            "PUT",
            "/v1/accounts/1/authorization-details",
            "{}",
            400,
            "invalid_parameter"),
        // ---- decisions
        c("decision: malformed JSON", "POST", d, "{\"principal\"", 400, "malformed_json"),
        c("decision: empty body", "POST", d, "", 400, "malformed_json"),
        c("decision: array body", "POST", d, "[" + DECISION + "]", 400, "invalid_request"),
        c("decision: unknown field", "POST", d, decision("foo", "1"), 400, "unknown_field")
            .at("foo"),
        c(
                "decision: principal a number",
                "POST",
                d,
                "{\"principal\":5,\"operation\":\"disassociate\",\"instanceArn\":\""
                    + INSTANCE
                    + "\"}",
                400,
                "invalid_request")
            .at("principal"),
        c(
                "decision: principal a group ARN",
                "POST",
                d,
                "{\"principal\":\"arn:aws:iam::111122223333:group/g\",\"operation\":\"disassociate\","
                    + "\"instanceArn\":\""
                    + INSTANCE
                    + "\"}",
                400,
                "invalid_request")
            .at("principal"),
        c(
                "decision: no principal",
                "POST",
                d,
                "{\"operation\":\"disassociate\",\"instanceArn\":\"" + INSTANCE + "\"}",
                400,
                "invalid_request")
            .at("principal"),
        c(
                "decision: unknown operation",
                "POST",
                d,
                "{\"principal\":\""
                    + USER
                    + "\",\"operation\":\"attach\",\"instanceArn\":\""
                    + INSTANCE
                    + "\"}",
                400,
                "invalid_request")
            .at("operation"),
        c(
                "decision: instance ARN of a volume",
                "POST",
                d,
                "{\"principal\":\""
                    + USER
                    + "\",\"operation\":\"disassociate\",\"instanceArn\":"
                    + "\"arn:aws:ec2:us-east-1:111122223333:volume/vol-1\"}",
                400,
                "invalid_request")
            .at("instanceArn"),
        c(
                "decision: associate without a role",
                "POST",
                d,
                "{\"principal\":\""
                    + USER
                    + "\",\"operation\":\"associate\",\"instanceArn\":\""
                    + INSTANCE
                    + "\"}",
                400,
                "invalid_request")
            .at("roleArn"),
        c(
                "decision: disassociate with a role",
                "POST",
                d,
                "{\"principal\":\""
                    + USER
                    + "\",\"operation\":\"disassociate\",\"instanceArn\":\""
                    + INSTANCE
                    + "\",\"roleArn\":\""
                    + ROLE
                    + "\"}",
                400,
                "invalid_request")
            .at("roleArn"),
        c(
                "decision: role ARN of a user",
                "POST",
                d,
                "{\"principal\":\""
                    + USER
                    + "\",\"operation\":\"replace\",\"instanceArn\":\""
                    + INSTANCE
                    + "\",\"roleArn\":\""
                    + USER
                    + "\"}",
                400,
                "invalid_request")
            .at("roleArn"),
        c(
                "decision: context an array",
                "POST",
                d,
                decision("context", "[]"),
                400,
                "invalid_request")
            .at("context"),
        c(
                "decision: context value an object",
                "POST",
                d,
                decision("context", "{\"aws:SourceIp\":{\"ip\":\"1.2.3.4\"}}"),
                400,
                "invalid_request")
            .at("context.aws:SourceIp"),
        c(
                "decision: context value in an array is null",
                "POST",
                d,
                decision("context", "{\"aws:SourceIp\":[\"1.2.3.4\",null]}"),
                400,
                "invalid_request")
            .at("context.aws:SourceIp[1]"),
        c(
                "decision: context key without a colon",
                "POST",
                d,
                decision("context", "{\"ip\":\"x\"}"),
                400,
                "invalid_request")
            .at("context.ip"),
        c("decision: body over 64 KiB", "POST", d, bigDecision(), 413, "payload_too_large"),
        c("decision: text/plain", "POST", d, DECISION, 415, "unsupported_media_type")
            .with("Content-Type", "text/plain"),
        c("decision: wrong method", "DELETE", d, null, 405, "method_not_allowed"),
        c("decision: GET", "GET", d, null, 405, "method_not_allowed"),
        c("decision: no token", "POST", d, DECISION, 401, "unauthenticated").as(NO_TOKEN),
        c("decision: wrong token", "POST", d, DECISION, 401, "unauthenticated").as("not-a-token"),
        // ---- OPA
        c("opa: no input", "POST", allow, "{}", 400, "invalid_request").at("input"),
        c("opa: input an array", "POST", allow, "{\"input\":[]}", 400, "invalid_request")
            .at("input"),
        c("opa: input null", "POST", opa, "{\"input\":null}", 400, "invalid_request").at("input"),
        c("opa: body is the bare request", "POST", opa, DECISION, 400, "unknown_field")
            .at("principal"),
        c(
                "opa: unknown top-level field",
                "POST",
                allow,
                "{\"input\":" + DECISION + ",\"x\":1}",
                400,
                "unknown_field")
            .at("x"),
        c(
                "opa: unknown nested field",
                "POST",
                allow,
                "{\"input\":" + decision("extra", "1") + "}",
                400,
                "unknown_field")
            .at("input.extra"),
        c(
                "opa: nested wrong type",
                "POST",
                opa,
                "{\"input\":" + decision("context", "{\"aws:SourceIp\":{}}") + "}",
                400,
                "invalid_request")
            .at("input.context.aws:SourceIp"),
        c("opa: malformed JSON", "POST", opa, "{\"input\":{", 400, "malformed_json"),
        c("opa: empty body", "POST", allow, "", 400, "malformed_json"),
        c(
            "opa: bad explain",
            "POST",
            allow + "?explain=verbose",
            "{\"input\":" + DECISION + "}",
            400,
            "invalid_parameter"),
        c(
            "opa: bad pretty",
            "POST",
            allow + "?pretty=yes",
            "{\"input\":" + DECISION + "}",
            400,
            "invalid_parameter"),
        c(
            "opa: unknown parameter",
            "POST",
            opa + "?partial=true",
            "{\"input\":" + DECISION + "}",
            400,
            "invalid_parameter"),
        c(
            "opa: metrics twice",
            "POST",
            opa + "?metrics=true&metrics=false",
            "{\"input\":" + DECISION + "}",
            400,
            "invalid_parameter"),
        c(
            "opa: body over 64 KiB",
            "POST",
            allow,
            "{\"input\":" + bigDecision() + "}",
            413,
            "payload_too_large"),
        c(
            "opa: unknown rule",
            "POST",
            "/v1/data/rolegate/other",
            "{\"input\":" + DECISION + "}",
            404,
            "not_found"),
        // Bodies declared as curl's default form type are read as JSON, as OPA reads them.
        c("opa: form content not JSON", "POST", allow, "input=1", 400, "malformed_json")
            .with("Content-Type", "application/x-www-form-urlencoded"),
        c(
                "opa: form content over 64 KiB",
                "POST",
                allow,
                "{\"input\":" + bigDecision() + "}",
                413,
                "payload_too_large")
            .with("Content-Type", "application/x-www-form-urlencoded"),
        c("opa: XML content", "POST", allow, "<input/>", 415, "unsupported_media_type")
            .with("Content-Type", "application/xml"),
        c("opa: GET without input", "GET", allow, null, 400, "invalid_parameter"),
        c(
                "opa: GET with an invalid input",
                "GET",
                allow
                    + "?input="
                    + URLEncoder.encode(decision("extra", "1"), StandardCharsets.UTF_8),
                null,
                400,
                "unknown_field")
            .at("input.extra"),
        c(
            "opa: GET with a URL too long",
            "GET",
            allow + "?input=" + "x".repeat(5_000),
            null,
            414,
            "uri_too_long"),
        c("headers too large", "GET", "/v1/decisions", null, 431, "headers_too_large")
            .with("X-Padding", "x".repeat(9_000)),
        c("user: a query parameter", "PUT", u + "?dryRun=true", "{}", 400, "invalid_parameter"),
        c(
            "import: a query parameter",
            "PUT",
            A + "/authorization-details?dryRun=1",
            "{\"UserDetailList\":[]}",
            400,
            "invalid_parameter"),
        c(
            "tokens: a query parameter",
            "POST",
            "/v1/tokens?x=1",
            "{\"name\":\"q\",\"scopes\":[\"decide\"]}",
            400,
            "invalid_parameter"),
        c(
            "users list: a query parameter",
            "GET",
            A + "/users?limit=5",
            null,
            400,
            "invalid_parameter"),
        c(
            "status: a query parameter",
            "GET",
            "/v1/status?verbose=1",
            null,
            400,
            "invalid_parameter"),
        c(
            "one decision: a query parameter",
            "GET",
            "/v1/decisions/01a23c99-c510-73d0-88a7-ecb3380a1bc1?full=1",
            null,
            400,
            "invalid_parameter"),
        c(
            "decision: unknown query parameter",
            "POST",
            d + "?dryRun=true",
            DECISION,
            400,
            "invalid_parameter"),
        c(
            "batch: unknown query parameter",
            "POST",
            d + "/batch?dryRun=true",
            "{\"requests\":[" + DECISION + "]}",
            400,
            "invalid_parameter"),
        c(
                "simulate: no actions",
                "POST",
                "/v1/simulate",
                "{\"principal\":\"" + USER + "\",\"actionNames\":[]}",
                400,
                "invalid_request")
            .at("actionNames"),
        c(
            "simulate: unknown query parameter",
            "POST",
            "/v1/simulate?x=1",
            "{\"principal\":\"" + USER + "\",\"actionNames\":[\"s3:GetObject\"]}",
            400,
            "invalid_parameter"),
        c(
                "decision: a context number past a double",
                "POST",
                d,
                decision("context", "{\"aws:SourceIp\":1e400}"),
                400,
                "invalid_request")
            .at("context.aws:SourceIp"),
        c(
                "decision: minRevision past a double",
                "POST",
                d,
                decision("minRevision", "1e999"),
                400,
                "invalid_request")
            .at("minRevision"),
        // ---- batches
        c(
                "batch: one request over 64 KiB",
                "POST",
                d + "/batch",
                "{\"requests\":[" + DECISION + "," + bigDecision() + "]}",
                413,
                "payload_too_large")
            .at("requests[1]"),
        c(
            "batch: trailing JSON",
            "POST",
            d + "/batch",
            "{\"requests\":[" + DECISION + "]}{}",
            400,
            "malformed_json"),
        c("decision: declared gzip, sent plain", "POST", d, DECISION, 400, "invalid_request")
            .with("Content-Encoding", "gzip"),
        // Codings the server does not expand: the bytes would be read as if they were the text.
        c("decision: Content-Encoding br", "POST", d, DECISION, 415, "unsupported_media_type")
            .with("Content-Encoding", "br"),
        c("decision: Content-Encoding zstd", "POST", d, DECISION, 415, "unsupported_media_type")
            .with("Content-Encoding", "zstd"),
        c(
                "import: Content-Encoding compress",
                "PUT",
                A + "/authorization-details",
                "{\"UserDetailList\":[]}",
                415,
                "unsupported_media_type")
            .with("Content-Encoding", "compress"),
        c(
                "OPA: Content-Encoding br",
                "POST",
                allow,
                "{\"input\":" + DECISION + "}",
                415,
                "unsupported_media_type")
            .with("Content-Encoding", "br"),
        c("decision: unknown charset", "POST", d, DECISION, 415, "unsupported_media_type")
            .with("Content-Type", "application/json; charset=klingon"),
        c("user: charset not a name", "PUT", u, "{}", 415, "unsupported_media_type")
            .with("Content-Type", "application/json; charset=\"a b\""),
        c(
            "decision: NaN in the context",
            "POST",
            d,
            decision("context", "{\"aws:SourceIp\":NaN}"),
            400,
            "malformed_json"),
        c(
                "opa batch: no inputs",
                "POST",
                "/v1/batch/data/rolegate/instance_profile",
                "{}",
                400,
                "invalid_request")
            .at("inputs"),
        c(
                "opa batch: unknown field",
                "POST",
                "/v1/batch/data/rolegate/instance_profile/allow",
                "{\"inputs\":{},\"input\":" + DECISION + "}",
                400,
                "unknown_field")
            .at("input"),
        c(
            "opa batch: malformed JSON",
            "POST",
            "/v1/batch/data/rolegate/instance_profile/allow",
            "{\"inputs\":{",
            400,
            "malformed_json"),
        c(
                "batch: one bad request",
                "POST",
                d + "/batch",
                "{\"requests\":[" + DECISION + "," + decision("extra", "1") + "]}",
                400,
                "unknown_field")
            .at("requests[1].extra"),
        c("batch: no requests", "POST", d + "/batch", "{\"requests\":[]}", 400, "invalid_request")
            .at("requests"),
        c("batch: malformed JSON", "POST", d + "/batch", "{\"requests\":[", 400, "malformed_json"),
        c(
            "batch: body over 4 MiB",
            "POST",
            d + "/batch",
            "{\"requests\":[" + bigDecision() + "],\"pad\":\"" + "x".repeat(4 << 20) + "\"}",
            413,
            "payload_too_large"),
        c(
                "batch: wrong token",
                "POST",
                d + "/batch",
                "{\"requests\":[" + DECISION + "]}",
                401,
                "unauthenticated")
            .as("not-a-token"),
        // ---- history
        c(
            "history: unknown parameter",
            "GET",
            "/v1/decisions?user=alice",
            null,
            400,
            "invalid_parameter"),
        c("history: limit zero", "GET", "/v1/decisions?limit=0", null, 400, "invalid_parameter"),
        // Escapes that make bytes that are not UTF-8 (Latin-1 é): refused, not read as U+FFFD.
        c(
            "history: principal not UTF-8 once decoded",
            "GET",
            "/v1/decisions?principal=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Fjos%E9",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: a name not UTF-8",
            "GET",
            "/v1/decisions?%E9=1",
            null,
            400,
            "invalid_parameter"),
        c(
            "OPA GET: input not UTF-8 once decoded",
            "GET",
            allow
                + "?input="
                + URLEncoder.encode(DECISION, StandardCharsets.UTF_8).replace("existing", "jos%E9"),
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit negative",
            "GET",
            "/v1/decisions?limit=-1",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit too large",
            "GET",
            "/v1/decisions?limit=1001",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit not a number",
            "GET",
            "/v1/decisions?limit=ten",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit overflows",
            "GET",
            "/v1/decisions?limit=99999999999",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: limit twice",
            "GET",
            "/v1/decisions?limit=1&limit=2",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: from a date",
            "GET",
            "/v1/decisions?from=2026-01-01",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: from after to",
            "GET",
            "/v1/decisions?from=2026-12-05T00:00:00Z&to=2026-12-01T00:00:00Z",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: to a word",
            "GET",
            "/v1/decisions?to=yesterday",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: cursor garbage",
            "GET",
            "/v1/decisions?cursor=!!!",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: cursor without id",
            "GET",
            "/v1/decisions?cursor=" + b64("12345"),
            null,
            400,
            "invalid_parameter"),
        c(
            "history: cursor bad id",
            "GET",
            "/v1/decisions?cursor=" + b64("12345.nope"),
            null,
            400,
            "invalid_parameter"),
        c(
            "history: cursor bad time",
            "GET",
            "/v1/decisions?cursor=" + b64("x.0190b8a2-0000-7000-8000-000000000000"),
            null,
            400,
            "invalid_parameter"),
        c(
            "history: decision deny",
            "GET",
            "/v1/decisions?decision=deny",
            null,
            400,
            "invalid_parameter"),
        c(
            "history: decision case",
            "GET",
            "/v1/decisions?decision=Allowed",
            null,
            400,
            "invalid_parameter"),
        c("history: decide-only token", "GET", "/v1/decisions", null, 403, "forbidden").as(DECIDER),
        c("history: no token", "GET", "/v1/decisions", null, 401, "unauthenticated").as(NO_TOKEN),
        c(
            "decision id: not a UUID",
            "GET",
            "/v1/decisions/not-a-uuid",
            null,
            400,
            "invalid_parameter"),
        c(
            "decision id: UUID without dashes",
            "GET",
            "/v1/decisions/0190b8a2000070008000000000000000",
            null,
            400,
            "invalid_parameter"),
        c(
            "decision id: random UUID",
            "GET",
            "/v1/decisions/3f1c1f4e-8a2b-4c1d-9e2f-0a1b2c3d4e5f",
            null,
            404,
            "not_found"),
        c(
            "decision id: unknown UUIDv7",
            "GET",
            "/v1/decisions/0190b8a2-0000-7000-8000-000000000000",
            null,
            404,
            "not_found"),
        c(
            "decision id: wrong method",
            "PUT",
            "/v1/decisions/0190b8a2-0000-7000-8000-000000000000",
            "{}",
            405,
            "method_not_allowed"),
        // ---- changes
        c("changes: limit zero", "GET", "/v1/changes?limit=0", null, 400, "invalid_parameter"),
        c(
            "changes: cursor negative",
            "GET",
            "/v1/changes?cursor=-5",
            null,
            400,
            "invalid_parameter"),
        c("changes: cursor zero", "GET", "/v1/changes?cursor=0", null, 400, "invalid_parameter"),
        c(
            "changes: cursor garbage",
            "GET",
            "/v1/changes?cursor=abc",
            null,
            400,
            "invalid_parameter"),
        c("changes: bad account", "GET", "/v1/changes?accountId=1", null, 400, "invalid_parameter"),
        c(
            "changes: unknown parameter",
            "GET",
            "/v1/changes?since=1",
            null,
            400,
            "invalid_parameter"),
        // ---- more probes for 500s
        c(
            "user: nesting deeper than 64",
            "PUT",
            u,
            "{\"tags\":" + "[".repeat(100) + "]".repeat(100) + "}",
            400,
            "malformed_json"),
        c("user: encoded slash in name", "PUT", A + "/users/a%2Fb", "{}", 400, "invalid_parameter"),
        c("user: NUL in name", "PUT", A + "/users/a%00b", "{}", 400, "invalid_parameter"),
        c("user: groups of null", "PUT", u, "{\"groups\":[null]}", 400, "invalid_request")
            .at("groups[0]"),
        c("user: huge number path", "PUT", u, "{\"path\":1e999999}", 400, "invalid_request")
            .at("path"),
        c(
                "import: null list",
                "PUT",
                A + "/authorization-details",
                "{\"UserDetailList\":[null]}",
                400,
                "invalid_request")
            .at("UserDetailList[0]"),
        c(
                "import: policy document a number",
                "PUT",
                A + "/authorization-details",
                "{\"Policies\":[{\"PolicyName\":\"P\",\"Arn\":\"arn:aws:iam::111122223333:policy/P\","
                    + "\"Path\":\"/\",\"DefaultVersionId\":\"v1\",\"PolicyVersionList\":[{\"VersionId\":"
                    + "\"v1\",\"IsDefaultVersion\":true,\"Document\":5}]}]}",
                400,
                "invalid_request")
            .at("Policies[0].PolicyVersionList[0].Document"),
        c(
                "import: policy document badly URL-encoded",
                "PUT",
                A + "/authorization-details",
                "{\"Policies\":[{\"PolicyName\":\"P\",\"Arn\":\"arn:aws:iam::111122223333:policy/P\","
                    + "\"Path\":\"/\",\"DefaultVersionId\":\"v1\",\"PolicyVersionList\":[{\"VersionId\":"
                    + "\"v1\",\"IsDefaultVersion\":true,\"Document\":\"%7B%ZZ\"}]}]}",
                400,
                "invalid_request")
            .at("Policies[0].PolicyVersionList[0].Document"),
        c(
            "decision: deep context",
            "POST",
            d,
            decision("context", "[".repeat(100) + "]".repeat(100)),
            400,
            "malformed_json"),
        c(
                "decision: session ARN without a session",
                "POST",
                d,
                "{\"principal\":\"arn:aws:sts::111122223333:assumed-role/R\",\"operation\":\"disassociate\","
                    + "\"instanceArn\":\""
                    + INSTANCE
                    + "\"}",
                400,
                "invalid_request")
            .at("principal"),
        c("history: empty limit", "GET", "/v1/decisions?limit=", null, 400, "invalid_parameter"),
        c(
            "history: empty decision",
            "GET",
            "/v1/decisions?decision=",
            null,
            400,
            "invalid_parameter"),
        c("history: empty from", "GET", "/v1/decisions?from=", null, 400, "invalid_parameter"),
        c(
                "token: named bootstrap",
                "POST",
                "/v1/tokens",
                "{\"name\":\"bootstrap\",\"scopes\":[\"admin\"]}",
                400,
                "invalid_request")
            .at("name"),
        c(
            "token: unknown scope",
            "POST",
            "/v1/tokens",
            "{\"name\":\"x\",\"scopes\":[\"root\"]}",
            400,
            "invalid_request"),
        c(
                "token: decide-only token",
                "POST",
                "/v1/tokens",
                "{\"name\":\"y\",\"scopes\":[\"admin\"]}",
                403,
                "forbidden")
            .as(DECIDER),
        // ---- routing and authentication
        c("unknown path", "GET", "/v1/nothing", null, 404, "not_found"),
        c("unknown account resource", "GET", A + "/widgets", null, 404, "not_found"),
        c("unknown path outside /v1", "GET", "/nothing", null, 404, "not_found").as(NO_TOKEN),
        c("user: PATCH", "PATCH", A + "/users/existing", "{}", 405, "method_not_allowed"),
        c("users: POST", "POST", A + "/users", "{}", 405, "method_not_allowed"),
        c("changes: DELETE", "DELETE", "/v1/changes", null, 405, "method_not_allowed"),
        c("user: text/plain", "PUT", u, "{}", 415, "unsupported_media_type")
            .with("Content-Type", "text/plain"),
        c("policy: XML", "PUT", p, "<Policy/>", 415, "unsupported_media_type")
            .with("Content-Type", "application/xml"),
        c("user: no token", "PUT", u, "{}", 401, "unauthenticated").as(NO_TOKEN),
        c("user: wrong token", "PUT", u, "{}", 401, "unauthenticated").as("wrong"),
        c("user: basic auth", "PUT", u, "{}", 401, "unauthenticated")
            .as(NO_TOKEN)
            .with("Authorization", "Basic dXNlcjpwYXNz"),
        c("user: empty bearer", "PUT", u, "{}", 401, "unauthenticated")
            .as(NO_TOKEN)
            .with("Authorization", "Bearer "),
        c("user: decide-only token", "PUT", u, "{}", 403, "forbidden").as(DECIDER),
        c("import: decide-only token", "PUT", A + "/authorization-details", "{}", 403, "forbidden")
            .as(DECIDER));
  }

  @BeforeAll
  static void start() {
    service = RunningService.start();
    api = service.api();
    String doc = "{\"document\":" + DOC + "}";
    ok(api.put(A + "/policies/Existing", doc));
    ok(api.put(A + "/groups/members", "{}"));
    ok(api.put(A + "/roles/held", "{\"trustPolicy\":" + TRUST + "}"));
    ok(api.put(A + "/instance-profiles/holder", "{\"role\":\"held\"}"));
    ok(api.put(A + "/roles/web", "{\"trustPolicy\":" + TRUST + "}"));
    ok(
        api.put(
            A + "/users/existing",
            "{\"groups\":[\"members\"],"
                + "\"attachedPolicies\":[\"arn:aws:iam::111122223333:policy/Existing\"]}"));
    ok(api.post("/v1/decisions/instance-profile", DECISION));
    Response token = api.post("/v1/tokens", "{\"name\":\"decider\",\"scopes\":[\"decide\"]}");
    assertEquals(201, token.status(), token::toString);
    deciderToken = token.json().get("token").asText();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static void ok(Response r) {
    assertEquals(200, r.status(), r::toString);
  }

  /**
   * An account's authorization details may be large: a body up to the documented 32 MiB is read
   * (Micronaut's own 10 MiB buffer refused one of 12 MB), and a larger one, sized or chunked, gets
   * a 413 problem naming the limit (it got Micronaut's own body, or a 500) and stores nothing.
   */
  @Test
  void largeBodiesAreReadUpTo32MiBAndRefusedPastItAsAProblem() throws Exception {
    List<Long> before = service.row(STATE);
    String authorizationDetails = "/v1/accounts/111122223333/authorization-details";
    Response twelve = api.put(authorizationDetails, padded(12_000_000));
    assertEquals(400, twelve.status(), twelve::toString);
    assertEquals("pad", twelve.json().path("path").asText(), twelve::toString);

    byte[] over = padded(33_600_000).getBytes(StandardCharsets.UTF_8);
    HttpClient client = HttpClient.newHttpClient();
    for (boolean chunked : List.of(false, true)) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://localhost:" + service.port() + authorizationDetails))
              .header("Authorization", "Bearer " + RunningService.TOKEN)
              .header("Content-Type", "application/json")
              .PUT(
                  chunked
                      ? HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(over))
                      : HttpRequest.BodyPublishers.ofByteArray(over))
              .build();
      HttpResponse<String> refused = client.send(request, HttpResponse.BodyHandlers.ofString());
      String said = chunked ? "chunked: " + refused.body() : refused.body();
      assertEquals(413, refused.statusCode(), said);
      assertTrue(
          refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem"),
          said);
      assertTrue(refused.body().contains("\"code\":\"payload_too_large\""), said);
      assertTrue(refused.body().contains("33554432 bytes"), said);
    }
    assertEquals(before, service.row(STATE), "a refused body stores nothing");
  }

  /**
   * Bodies may come gzip-compressed (a large account's export shrinks about tenfold); the limits
   * hold for what they expand to, so a small body that expands past them is refused, not read.
   */
  @Test
  void gzipBodiesAreReadAndHeldToTheLimitsOfWhatTheyExpandTo() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String decisions = "/v1/decisions/instance-profile";
    HttpResponse<String> decided =
        sendGzip(client, decisions, DECISION.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, decided.statusCode(), decided.body());
    assertTrue(decided.body().contains("\"decisionId\""), decided.body());
    // deflate is expanded too, and `identity` names no coding at all.
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(deflated)) {
      deflate.write(DECISION.getBytes(StandardCharsets.UTF_8));
    }
    for (var coded :
        Map.of(
                "deflate",
                deflated.toByteArray(),
                "identity",
                DECISION.getBytes(StandardCharsets.UTF_8))
            .entrySet()) {
      HttpResponse<String> answered =
          client.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + decisions))
                  .header("Authorization", "Bearer " + RunningService.TOKEN)
                  .header("Content-Type", "application/json")
                  .header("Content-Encoding", coded.getKey())
                  .POST(HttpRequest.BodyPublishers.ofByteArray(coded.getValue()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, answered.statusCode(), coded.getKey() + ": " + answered.body());
    }

    service.awaitAudit();
    List<Long> before = service.row(STATE);
    // About 1 MB on the wire, 40 MB once expanded: past the 32 MiB every body is held to.
    byte[] expands = padded(40_000_000).getBytes(StandardCharsets.UTF_8);
    for (String path : List.of(decisions, A + "/authorization-details")) {
      HttpResponse<String> refused = sendGzip(client, path, expands);
      assertEquals(413, refused.statusCode(), path + ": " + refused.body());
      assertTrue(refused.body().contains("\"code\":\"payload_too_large\""), refused.body());
    }
    assertEquals(before, service.row(STATE), "a refused body stores nothing");
  }

  /**
   * A body that is not valid UTF-8 is refused where its first bad byte is, on every endpoint that
   * reads one, not read with U+FFFD in place of the bytes (and then decided, logged or stored as
   * something the client never sent). A body that holds U+FFFD itself, as valid UTF-8, is read.
   */
  @Test
  void bodiesThatAreNotValidUtf8AreRefusedWhereTheirFirstBadByteIs() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    // "é" as Latin-1 (0xE9), a lone continuation byte, a truncated sequence, an overlong "/", an
    // encoded surrogate: each is a byte Java's decoder would have replaced.
    List<byte[]> bad =
        List.of(
            new byte[] {(byte) 0xe9},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
    String opa = "/v1/data/rolegate/instance_profile";
    List<String[]> endpoints =
        List.of(
            new String[] {"POST", "/v1/decisions/instance-profile", "application/json", "%s"},
            new String[] {
              "POST",
              "/v1/decisions/instance-profile/batch",
              "application/json",
              "{\"requests\":[%s]}"
            },
            new String[] {"POST", opa, "application/json", "{\"input\":%s}"},
            new String[] {"POST", opa + "/allow", "text/plain", "{\"input\":%s}"},
            new String[] {
              "POST", opa + "/allow", "application/x-www-form-urlencoded", "{\"input\":%s}"
            },
            new String[] {
              "POST",
              opa.replace("/v1/", "/v1/batch/"),
              "application/json",
              "{\"inputs\":{\"a\":%s}}"
            },
            new String[] {
              "POST", "/v1/simulate", "application/json", "{\"request\":%s,\"changes\":[]}"
            },
            new String[] {
              "PUT", A + "/users/newcomer", "application/json", "{\"tags\":{\"k\":%s}}"
            },
            new String[] {
              "PUT", A + "/policies/NewPolicy", "application/json", "{\"document\":%s}"
            },
            new String[] {
              "PUT",
              A + "/authorization-details",
              "application/json",
              "{\"UserDetailList\":[],\"x\":%s}"
            },
            new String[] {
              "PUT", A + "/service-control-policies", "application/json", "{\"levels\":[%s]}"
            },
            new String[] {
              "POST", "/v1/tokens", "application/json", "{\"name\":\"%s\",\"scopes\":[\"decide\"]}"
            });
    service.awaitAudit();
    List<Long> before = service.row(STATE);
    for (String[] endpoint : endpoints) {
      for (byte[] b : bad) {
        // The bad bytes on the second line, in the middle of a value: the problem names that line
        // and the column after what comes before them on it.
        String[] around = endpoint[3].split("%s", -1);
        String head = around[0] + "\n\"ab";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(head.getBytes(StandardCharsets.UTF_8));
        body.write(b);
        body.write(("cd\"" + around[1]).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> refused = send(client, endpoint, body.toByteArray());
        String said = endpoint[0] + " " + endpoint[1] + " (" + endpoint[2] + "): " + refused.body();
        assertEquals(400, refused.statusCode(), said);
        assertTrue(refused.body().contains("\"code\":\"malformed_json\""), said);
        assertTrue(
            refused
                .body()
                .contains(
                    "the body is not valid UTF-8 at line 2, column 4 (byte offset "
                        + (head.length())
                        + ": 0x"
                        + String.format("%02x", b[0] & 0xff)
                        + ")"),
            said);
      }
    }
    // A whole decision request, Latin-1 in one context value: once decided and logged with
    // U+FFFD in place of the byte.
    String[] decisions = {"POST", "/v1/decisions/instance-profile", "application/json"};
    String latin1 = decision("context", "{\"aws:PrincipalTag/team\":\"caf\u00e9\"}");
    HttpResponse<String> whole =
        send(client, decisions, latin1.getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(400, whole.statusCode(), whole.body());
    assertTrue(whole.body().contains("(byte offset " + latin1.indexOf('\u00e9')), whole.body());
    assertEquals(before, service.row(STATE), "a refused body stores nothing");

    // A charset may be quoted (RFC 9110): `charset="utf-8"` is UTF-8.
    HttpResponse<String> quoted =
        send(
            client,
            new String[] {"POST", decisions[1], "application/json; charset=\"utf-8\""},
            DECISION.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, quoted.statusCode(), quoted.body());

    // U+FFFD sent as valid UTF-8 is a character like any other: read and decided.
    String replacement = DECISION.replace("\"associate\"", "\"associate\uFFFD\"");
    HttpResponse<String> read =
        send(client, decisions, replacement.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, read.statusCode(), read.body());
    assertTrue(read.body().contains("`associate\uFFFD`"), read.body());
  }

  /**
   * Requests Java's own client will not send, which the server's HTTP reader refuses before any
   * route (a broken `%` escape, two Content-Lengths, a space in a header's name): each is a problem
   * like every other refusal, saying what was wrong, not a bare 400 in Micronaut's format.
   */
  @Test
  void requestsThatAreNotValidHttpAreProblemsSayingWhatWasWrong() throws Exception {
    String auth = "Host: localhost\r\nAuthorization: Bearer " + RunningService.TOKEN + "\r\n";
    String post =
        "POST /v1/decisions/instance-profile HTTP/1.1\r\n"
            + auth
            + "Content-Type: application/json\r\n";
    Map<String, String> refusals =
        Map.of(
            "GET /v1/decisions?principal=%zz HTTP/1.1\r\n" + auth,
            "the request's URL is malformed: Malformed escape pair at character 25",
            "GET /v1/de%4 HTTP/1.1\r\n" + auth,
            "the request's URL is malformed: Malformed escape pair at character 7",
            "GET /v1/status?x=% HTTP/1.1\r\n" + auth,
            "the request's URL is malformed: Malformed escape pair at character 14",
            post + "Content-Length: 2\r\nContent-Length: 3\r\n",
            "the request is not valid HTTP: Multiple Content-Length values found",
            post + "Content-Length: two\r\n",
            "the request is not valid HTTP: Content-Length value is not a number",
            "GET /v1/status HTTP/1.1\r\n" + auth + "Bad Header: y\r\n",
            "the request is not valid HTTP: a header name can only contain \\\"token\\\" characters",
            "GET /v1/decisions?principal=jos\u00c3\u00a9 HTTP/1.1\r\n" + auth,
            "the URL's query holds a character that is not ASCII at character 14",
            "GET /v1/accounts/111122223333/users/\u00c3\u00bc HTTP/1.1\r\n" + auth,
            "the URL's path holds a character that is not ASCII at character 33");
    service.awaitAudit();
    List<Long> before = service.row(STATE);
    for (var refusal : refusals.entrySet()) {
      String head = refusal.getKey();
      try (Socket socket = new Socket("localhost", service.port())) {
        socket
            .getOutputStream()
            .write(
                (head + "Connection: close\r\n\r\n" + (head.startsWith("POST") ? "{}" : ""))
                    // Each character a byte: the raw bytes of a URL sent unencoded.
                    .getBytes(StandardCharsets.ISO_8859_1));
        String response =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String said = head + "-> " + response;
        assertTrue(response.startsWith("HTTP/1.1 400 "), said);
        assertTrue(
            response
                .toLowerCase(java.util.Locale.ROOT)
                .contains("content-type: application/problem+json"),
            said);
        assertTrue(response.contains("\"code\":\"invalid_request\""), said);
        assertTrue(response.contains(refusal.getValue()), said);
      }
    }
    // A body without a Content-Type, which the native API does not guess is JSON.
    try (Socket socket = new Socket("localhost", service.port())) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/decisions/instance-profile HTTP/1.1\r\n"
                      + auth
                      + "Content-Length: "
                      + DECISION.length()
                      + "\r\nConnection: close\r\n\r\n"
                      + DECISION)
                  .getBytes(StandardCharsets.UTF_8));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 415 "), response);
      assertTrue(
          response.contains(
              "\"message\":\"send the body as application/json, with `Content-Type:"
                  + " application/json`\""),
          response);
    }
    assertEquals(before, service.row(STATE), "a refused request stores nothing");
  }

  private static HttpResponse<String> send(HttpClient client, String[] endpoint, byte[] body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + endpoint[1]))
            .header("Authorization", "Bearer " + RunningService.TOKEN)
            .header("Content-Type", endpoint[2])
            .method(endpoint[0], HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> sendGzip(HttpClient client, String path, byte[] body)
      throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(body);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + path))
            .header("Authorization", "Bearer " + RunningService.TOKEN)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .method(
                path.startsWith(A) ? "PUT" : "POST",
                HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** An authorization-details body of about {@code size} characters, refused for its `pad`. */
  private static String padded(int size) {
    return "{\"UserDetailList\":[],\"pad\":\"" + "x".repeat(size) + "\"}";
  }

  @Test
  void anUnknownPathIsNamedWithAHintOnlyWhenOutsideTheApi() {
    Response inside = api.get("/v1/data/rolegate/instance_profile/deny");
    assertEquals(
        "no resource at `/v1/data/rolegate/instance_profile/deny`",
        inside.json().path("message").asText(),
        inside::toString);
    Response outside = api.get("/decisions");
    assertEquals(
        "no resource at `/decisions`; the API is under /v1",
        outside.json().path("message").asText(),
        outside::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithoutChangingAnything(Case c) {
    service.awaitAudit();
    List<Long> before = service.row(STATE);
    String token =
        switch (c.token()) {
          case NO_TOKEN -> null;
          case DECIDER -> deciderToken;
          default -> c.token();
        };

    Response r = api.as(token).send(c.method(), c.path(), c.body(), c.headers());

    assertEquals(c.status(), r.status(), r::toString);
    assertEquals(c.code(), r.code(), r::toString);
    assertTrue(
        r.header("Content-Type").orElse("").startsWith("application/problem+json"),
        () -> "content type " + r.header("Content-Type") + " of " + r);
    assertEquals(c.status(), r.json().path("status").asInt(), r::toString);
    assertTrue(r.json().path("message").asText().length() > 0, r::toString);
    // Messages are written for a person: no names of the code that found the problem.
    assertFalse(
        r.json()
            .path("message")
            .asText()
            .matches(
                "(?s).*(StreamReadConstraints|Feature\\.|Feature '|of type [A-Z_]{4,}"
                    + "|com\\.fasterxml|io\\.micronaut|\\[Source:).*"),
        r::toString);
    if (c.jsonPath() != null) {
      assertEquals(c.jsonPath(), r.json().path("path").asText(), r::toString);
    }
    service.awaitAudit();
    List<Long> after = service.row(STATE);
    assertEquals(before.get(0), after.get(0), "the revision moved");
    assertEquals(before.get(1), after.get(1), "the change log grew");
    assertEquals(before.get(2), after.get(2), "a decision was logged");
    assertEquals(before.get(3), after.get(3), "users changed");
    assertEquals(before.get(4), after.get(4), "tokens changed");
  }
}
