package dev.rolegate.engine.cases;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.operation.InstanceProfileOperation;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.operation.RoleFacts;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.parse.Problem;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.request.AuthorizationRequest;
import dev.rolegate.engine.request.Principal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the case format from a JSON tree. Unknown fields are ignored, as the format says. */
public final class CaseReader {
  private CaseReader() {}

  /** Thrown for a document that is not a case file at all; single bad cases are entries. */
  public static final class NotACaseFile extends Exception {
    private static final long serialVersionUID = 1L;

    public NotACaseFile(String message) {
      super(message);
    }
  }

  public static List<CaseEntry> read(JsonNode root) throws NotACaseFile {
    if (root == null || !root.isObject() || !root.has("cases")) {
      throw new NotACaseFile("a case file is a JSON object with a `cases` array");
    }
    JsonNode cases = root.get("cases");
    if (!cases.isArray()) {
      throw new NotACaseFile("`cases` must be an array");
    }
    List<CaseEntry> out = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      out.add(readCase(cases.get(i), i));
    }
    return out;
  }

  /** Failure inside one case, carried to its entry. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final CaseError error;

    Refused(String code, String message, String path) {
      super(message, null, false, false);
      this.error = new CaseError(code, message, path);
    }
  }

  private static CaseEntry readCase(JsonNode node, int index) {
    String fallbackId = "cases[" + index + "]";
    if (!node.isObject()) {
      return new CaseEntry.Invalid(
          fallbackId, new CaseError("case_invalid", "a case must be a JSON object", ""));
    }
    String id = node.path("id").isTextual() ? node.get("id").asText() : fallbackId;
    try {
      if (!node.path("id").isTextual() || node.get("id").asText().isEmpty()) {
        throw new Refused("case_invalid", "the case has no `id` string", "id");
      }
      Optional<String> note =
          node.path("note").isTextual() ? Optional.of(node.get("note").asText()) : Optional.empty();
      Optional<Decision> expected = Optional.empty();
      if (node.has("expected") && !node.get("expected").isNull()) {
        String e = node.get("expected").asText();
        expected = Decision.fromWireName(e);
        if (expected.isEmpty()) {
          throw new Refused(
              "case_invalid",
              "`" + e + "` is not a decision: use `allowed`, `explicitDeny` or `implicitDeny`",
              "expected");
        }
      }

      JsonNode request = node.get("request");
      if (request == null || !request.isObject()) {
        throw new Refused("case_invalid", "the case has no `request` object", "request");
      }
      String principalArn = requiredText(request, "principal", "request.principal");
      Principal principal =
          Principal.parse(principalArn)
              .orElseThrow(
                  () ->
                      new Refused(
                          "principal_invalid",
                          "`"
                              + principalArn
                              + "` is neither an IAM user ARN nor a role session ARN"
                              + " (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION)",
                          "request.principal"));
      Map<String, List<String>> context = context(request.get("context"));
      PrincipalPolicies policies = layers(node, principal);
      if (request.has("operation")) {
        InstanceProfileRequest operation = operationRequest(request, principal, context, node);
        return new CaseEntry.ValidOperation(
            new OperationCase(id, note, expected, operation, policies));
      }
      String action = requiredText(request, "action", "request.action");
      String resource = requiredText(request, "resource", "request.resource");
      AuthorizationRequest authorizationRequest =
          AuthorizationRequest.of(principal, action, resource, context);
      return new CaseEntry.Valid(
          new EvaluationCase(id, note, expected, authorizationRequest, policies));
    } catch (Refused r) {
      return new CaseEntry.Invalid(id, r.error);
    }
  }

  /**
   * The policy layers of a case: {@code identityPolicies}, {@code permissionBoundaries}, {@code
   * scps} and {@code sessionPolicy}, as FORMAT.md describes them.
   */
  static PrincipalPolicies layers(JsonNode node, Principal principal) throws Refused {
    if (!node.has("identityPolicies") || !node.get("identityPolicies").isArray()) {
      throw new Refused(
          "case_invalid", "the case has no `identityPolicies` array", "identityPolicies");
    }
    List<SourcedPolicy> identity =
        policies(
            node.get("identityPolicies"),
            "identityPolicies",
            "identity",
            PolicyKind.IDENTITY,
            PolicySourceType.USER_MANAGED);

    Optional<SourcedPolicy> boundary = Optional.empty();
    JsonNode boundaries = node.get("permissionBoundaries");
    if (boundaries != null && !boundaries.isNull()) {
      if (!boundaries.isArray()) {
        throw new Refused(
            "case_invalid", "`permissionBoundaries` must be an array", "permissionBoundaries");
      }
      if (boundaries.size() > 1) {
        throw new Refused(
            "case_invalid",
            "a principal has at most one permissions boundary",
            "permissionBoundaries");
      }
      List<SourcedPolicy> b =
          policies(
              boundaries,
              "permissionBoundaries",
              "boundary",
              PolicyKind.PERMISSIONS_BOUNDARY,
              PolicySourceType.USER_MANAGED);
      boundary = b.stream().findFirst();
    }

    List<List<SourcedPolicy>> levels = scpLevels(node.get("scps"));

    Optional<SourcedPolicy> session = Optional.empty();
    JsonNode sessionNode = node.get("sessionPolicy");
    if (sessionNode != null && !sessionNode.isNull()) {
      if (!(principal instanceof Principal.RoleSession)) {
        throw new Refused(
            "case_invalid",
            "a session policy applies only to a role session principal",
            "sessionPolicy");
      }
      session =
          Optional.of(
              policy(
                  sessionNode,
                  "sessionPolicy",
                  "session",
                  PolicyKind.SESSION,
                  PolicySourceType.SESSION));
    }

    return PrincipalPolicies.of(identity, boundary, levels, session);
  }

  private static InstanceProfileRequest operationRequest(
      JsonNode request, Principal principal, Map<String, List<String>> context, JsonNode node)
      throws Refused {
    String name = request.get("operation").asText();
    InstanceProfileOperation operation =
        InstanceProfileOperation.fromWireName(name)
            .orElseThrow(
                () ->
                    new Refused(
                        "case_invalid",
                        "`"
                            + name
                            + "` is not an operation: use `associate`, `replace` or `disassociate`",
                        "request.operation"));
    String instanceArn = requiredText(request, "instanceArn", "request.instanceArn");
    Optional<String> roleArn =
        request.path("roleArn").isTextual()
            ? Optional.of(request.get("roleArn").asText())
            : Optional.empty();
    List<Problem> problems = InstanceProfileRequest.validate(operation, instanceArn, roleArn);
    if (!problems.isEmpty()) {
      Problem first = problems.get(0).under("request");
      throw new Refused("request_invalid", first.message(), first.path());
    }
    Optional<RoleFacts> role = Optional.empty();
    JsonNode roleNode = node.get("role");
    if (roleNode != null && !roleNode.isNull()) {
      if (!roleNode.isObject() || roleArn.isEmpty()) {
        throw new Refused(
            "case_invalid",
            "`role` describes the passed role: an object, with a `roleArn`",
            "role");
      }
      Optional<PolicyDocument> trust = Optional.empty();
      if (roleNode.has("trustPolicy")) {
        ParseResult parsed = PolicyParser.parse(roleNode.get("trustPolicy"), PolicyKind.TRUST);
        switch (parsed) {
          case ParseResult.Parsed ok -> trust = Optional.of(ok.document());
          case ParseResult.Invalid bad -> {
            Problem first = bad.problems().get(0).under("role.trustPolicy");
            throw new Refused("policy_invalid", first.message(), first.path());
          }
        }
      }
      List<String> profiles = new ArrayList<>();
      for (JsonNode p : roleNode.path("instanceProfiles")) {
        profiles.add(p.asText());
      }
      Map<String, String> tags = new LinkedHashMap<>();
      roleNode
          .path("tags")
          .fields()
          .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
      role = Optional.of(new RoleFacts(roleArn.get(), trust, profiles, tags));
    }
    return new InstanceProfileRequest(principal, operation, instanceArn, roleArn, context, role);
  }

  static String requiredText(JsonNode node, String field, String path) throws Refused {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new Refused("case_invalid", "the request has no `" + field + "` string", path);
    }
    return v.asText();
  }

  static Map<String, List<String>> context(JsonNode node) throws Refused {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new Refused("case_invalid", "`context` must be an object", "request.context");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String path = "request.context." + f.getKey();
      JsonNode v = f.getValue();
      if (v.isValueNode() && !v.isNull()) {
        out.put(f.getKey(), List.of(v.asText()));
      } else if (v.isArray()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
          JsonNode e = v.get(i);
          if (!e.isValueNode() || e.isNull()) {
            throw new Refused(
                "case_invalid",
                "a context value is a string, number or boolean",
                path + "[" + i + "]");
          }
          values.add(e.asText());
        }
        out.put(f.getKey(), values);
      } else {
        throw new Refused(
            "case_invalid",
            "a context value is a string, number, boolean or an array of them",
            path);
      }
    }
    return out;
  }

  private static List<List<SourcedPolicy>> scpLevels(JsonNode node) throws Refused {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new Refused("case_invalid", "`scps` must be an array", "scps");
    }
    boolean nested = node.size() > 0 && node.get(0).isArray();
    if (!nested) {
      return node.isEmpty()
          ? List.of()
          : List.of(
              policies(
                  node,
                  "scps",
                  "scp",
                  PolicyKind.SERVICE_CONTROL,
                  PolicySourceType.SERVICE_CONTROL));
    }
    List<List<SourcedPolicy>> levels = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode level = node.get(i);
      if (!level.isArray()) {
        throw new Refused(
            "case_invalid",
            "`scps` is either a list of policies or a list of levels, not both",
            "scps[" + i + "]");
      }
      levels.add(
          policies(
              level,
              "scps[" + i + "]",
              "scp-" + i,
              PolicyKind.SERVICE_CONTROL,
              PolicySourceType.SERVICE_CONTROL));
    }
    return levels;
  }

  private static List<SourcedPolicy> policies(
      JsonNode array, String path, String prefix, PolicyKind kind, PolicySourceType type)
      throws Refused {
    List<SourcedPolicy> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(policy(array.get(i), path + "[" + i + "]", prefix + "-" + i, kind, type));
    }
    return out;
  }

  /** A raw policy document, or {@code {"name": ..., "policy": {...}}}. */
  static SourcedPolicy policy(
      JsonNode node, String path, String defaultName, PolicyKind kind, PolicySourceType type)
      throws Refused {
    String name = defaultName;
    JsonNode document = node;
    String documentPath = path;
    if (node.isObject() && node.has("policy") && !node.has("Statement")) {
      document = node.get("policy");
      documentPath = path + ".policy";
      if (node.path("name").isTextual()) {
        name = node.get("name").asText();
      }
    }
    ParseResult result = PolicyParser.parse(document, kind);
    return switch (result) {
      case ParseResult.Parsed p -> SourcedPolicy.of(name, type, p.document());
      case ParseResult.Invalid inv -> {
        Problem first = inv.problems().get(0).under(documentPath);
        throw new Refused("policy_invalid", first.message(), first.path());
      }
    };
  }
}
