package dev.rolegate.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.problem.StrictJson.Fields;
import dev.rolegate.engine.parse.IamNames;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyLimits;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.persistence.account.AccountState.Group;
import dev.rolegate.persistence.account.AccountState.InlinePolicy;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.account.AccountState.Role;
import dev.rolegate.persistence.account.AccountState.User;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads admin request bodies into the store's records and applies IAM's rules at the door (names,
 * paths, policy grammar and sizes, quotas), reporting every problem with its JSON path. A body that
 * breaks one is refused whole.
 */
final class EntityBodies {
  private static final Pattern POLICY_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}|aws):policy/(?:[!-~]*/)?[\\w+=,.@-]+");

  private EntityBodies() {}

  static User user(String accountId, String name, String body) {
    Issues issues = new Issues();
    name(IamNames.Kind.USER, name, issues);
    Fields f =
        fields(
            body,
            issues,
            Set.of(
                "path",
                "groups",
                "inlinePolicies",
                "attachedPolicies",
                "permissionsBoundary",
                "tags"));
    String path = path(f, issues);
    List<String> groups = f.strings("groups");
    if (groups.size() > PolicyLimits.GROUPS_PER_USER) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          "groups",
          "a user can be in at most "
              + PolicyLimits.GROUPS_PER_USER
              + " groups, not "
              + groups.size());
    }
    unique(groups, "groups", "group", issues);
    List<InlinePolicy> inline =
        inline(f, PolicyLimits.USER_INLINE_TOTAL, "the user's inline policies", issues);
    List<String> attached =
        attached(f, accountId, PolicyLimits.ATTACHMENTS_PER_USER_OR_ROLE, issues);
    String boundary = boundary(f, accountId, issues);
    Map<String, String> tags = tags(f, issues);
    issues.throwIfAny();
    return new User(name, path, null, groups, inline, attached, boundary, tags);
  }

  static Group group(String accountId, String name, String body) {
    Issues issues = new Issues();
    name(IamNames.Kind.GROUP, name, issues);
    Fields f = fields(body, issues, Set.of("path", "inlinePolicies", "attachedPolicies"));
    String path = path(f, issues);
    List<InlinePolicy> inline =
        inline(f, PolicyLimits.GROUP_INLINE_TOTAL, "the group's inline policies", issues);
    List<String> attached = attached(f, accountId, PolicyLimits.ATTACHMENTS_PER_GROUP, issues);
    issues.throwIfAny();
    return new Group(name, path, null, inline, attached);
  }

  static Role role(String accountId, String name, String body) {
    Issues issues = new Issues();
    name(IamNames.Kind.ROLE, name, issues);
    Fields f =
        fields(
            body,
            issues,
            Set.of(
                "path",
                "trustPolicy",
                "inlinePolicies",
                "attachedPolicies",
                "permissionsBoundary",
                "tags"));
    String path = path(f, issues);
    Optional<JsonNode> trust =
        document(
            f,
            "trustPolicy",
            true,
            PolicyKind.TRUST,
            PolicyLimits.TRUST_POLICY,
            "the trust policy",
            issues);
    List<InlinePolicy> inline =
        inline(f, PolicyLimits.ROLE_INLINE_TOTAL, "the role's inline policies", issues);
    List<String> attached =
        attached(f, accountId, PolicyLimits.ATTACHMENTS_PER_USER_OR_ROLE, issues);
    String boundary = boundary(f, accountId, issues);
    Map<String, String> tags = tags(f, issues);
    issues.throwIfAny();
    return new Role(name, path, null, trust.orElseThrow(), inline, attached, boundary, tags);
  }

  static InstanceProfile instanceProfile(String name, String body) {
    Issues issues = new Issues();
    name(IamNames.Kind.INSTANCE_PROFILE, name, issues);
    Fields f = fields(body, issues, Set.of("path", "role"));
    String path = path(f, issues);
    Optional<String> role = f.text("role", false);
    role.flatMap(r -> IamNames.nameProblem(IamNames.Kind.ROLE, r))
        .ifPresent(p -> issues.add(ErrorCode.INVALID_REQUEST, "role", p));
    issues.throwIfAny();
    return new InstanceProfile(name, path, null, role.map(List::of).orElse(List.of()));
  }

  /** A managed policy's path and first (or next) document. */
  record PolicyBody(String path, JsonNode document) {}

  static PolicyBody policy(String name, String body) {
    Issues issues = new Issues();
    name(IamNames.Kind.MANAGED_POLICY, name, issues);
    Fields f = fields(body, issues, Set.of("path", "document"));
    String path = path(f, issues);
    Optional<JsonNode> doc =
        document(
            f,
            "document",
            true,
            PolicyKind.IDENTITY,
            PolicyLimits.MANAGED_POLICY_VERSION,
            "the policy",
            issues);
    issues.throwIfAny();
    return new PolicyBody(path, doc.orElseThrow());
  }

  record VersionBody(JsonNode document, boolean setAsDefault) {}

  static VersionBody version(String body) {
    Issues issues = new Issues();
    Fields f = fields(body, issues, Set.of("document", "setAsDefault"));
    Optional<JsonNode> doc =
        document(
            f,
            "document",
            true,
            PolicyKind.IDENTITY,
            PolicyLimits.MANAGED_POLICY_VERSION,
            "the policy",
            issues);
    boolean setAsDefault = f.bool("setAsDefault").orElse(false);
    issues.throwIfAny();
    return new VersionBody(doc.orElseThrow(), setAsDefault);
  }

  static String defaultVersion(String body) {
    Issues issues = new Issues();
    Fields f = fields(body, issues, Set.of("versionId"));
    Optional<String> v = f.text("versionId", true);
    v.flatMap(IamNames::versionIdProblem)
        .ifPresent(p -> issues.add(ErrorCode.INVALID_REQUEST, "versionId", p));
    issues.throwIfAny();
    return v.orElseThrow();
  }

  // ---- pieces

  private static Fields fields(String body, Issues issues, Set<String> allowed) {
    ObjectNode node = StrictJson.parseObject(body);
    return new Fields(node, "", issues).allow(allowed);
  }

  static void name(IamNames.Kind kind, String name, Issues issues) {
    IamNames.nameProblem(kind, name).ifPresent(p -> issues.add(ErrorCode.INVALID_PARAMETER, "", p));
  }

  private static String path(Fields f, Issues issues) {
    String path = f.text("path", false).orElse("/");
    IamNames.pathProblem(path).ifPresent(p -> issues.add(ErrorCode.INVALID_REQUEST, "path", p));
    return path;
  }

  /** Inline policies as an object of name to document, their total size within IAM's limit. */
  private static List<InlinePolicy> inline(Fields f, int totalLimit, String what, Issues issues) {
    List<InlinePolicy> out = new ArrayList<>();
    Optional<ObjectNode> node = f.object("inlinePolicies", false);
    if (node.isEmpty()) {
      return out;
    }
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.get().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = "inlinePolicies." + e.getKey();
      IamNames.nameProblem(IamNames.Kind.INLINE_POLICY, e.getKey())
          .ifPresent(p -> issues.add(ErrorCode.INVALID_REQUEST, at, p));
      if (!seen.add(IamNames.uniquenessKey(e.getKey()))) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at,
            "inline policy names differ only in case: `" + e.getKey() + "`");
      }
      Optional<JsonNode> doc = policyDocument(e.getValue(), at, PolicyKind.IDENTITY, issues);
      if (doc.isPresent()) {
        total += PolicyLimits.sizeWithoutWhitespace(compact(doc.get()));
        out.add(new InlinePolicy(e.getKey(), doc.get()));
      }
    }
    if (total > totalLimit) {
      issues.add(
          ErrorCode.INVALID_POLICY,
          "inlinePolicies",
          what
              + " have "
              + total
              + " characters without whitespace together: the limit is "
              + totalLimit);
    }
    return out;
  }

  /** A required policy document in {@code field}, of that kind and within that size. */
  static Optional<JsonNode> document(
      Fields f, String field, PolicyKind kind, int limit, String what, Issues issues) {
    return document(f, field, true, kind, limit, what, issues);
  }

  private static Optional<JsonNode> document(
      Fields f,
      String field,
      boolean required,
      PolicyKind kind,
      int limit,
      String what,
      Issues issues) {
    String at = f.at(field);
    Optional<JsonNode> v = f.value(field);
    if (v.isEmpty()) {
      if (required) {
        issues.add(ErrorCode.INVALID_REQUEST, at, "`" + field + "` is required");
      }
      return Optional.empty();
    }
    Optional<JsonNode> doc = policyDocument(v.get(), at, kind, issues);
    doc.flatMap(d -> PolicyLimits.sizeProblem(compact(d), limit, what))
        .ifPresent(p -> issues.add(ErrorCode.INVALID_POLICY, p.under(at)));
    return doc;
  }

  /** A policy given as a JSON object, or as a string holding one; checked against the grammar. */
  private static Optional<JsonNode> policyDocument(
      JsonNode value, String at, PolicyKind kind, Issues issues) {
    JsonNode doc = value;
    if (value.isTextual()) {
      PolicyLimits.characterProblem(value.textValue())
          .ifPresent(p -> issues.add(ErrorCode.INVALID_POLICY, p.under(at)));
      try {
        doc = StrictJson.MAPPER.readTree(value.textValue());
      } catch (JsonProcessingException e) {
        issues.add(
            ErrorCode.INVALID_POLICY,
            at,
            "the policy text is not valid JSON: " + StrictJson.reason(e));
        return Optional.empty();
      }
    }
    if (doc == null || !doc.isObject()) {
      issues.add(ErrorCode.INVALID_POLICY, at, "a policy document must be a JSON object");
      return Optional.empty();
    }
    ParseResult parsed = PolicyParser.parse(doc, kind);
    if (parsed instanceof ParseResult.Invalid invalid) {
      invalid.problems().forEach(p -> issues.add(ErrorCode.INVALID_POLICY, p.under(at)));
      return Optional.empty();
    }
    return Optional.of(doc);
  }

  private static List<String> attached(Fields f, String accountId, int limit, Issues issues) {
    List<String> arns = f.strings("attachedPolicies");
    for (int i = 0; i < arns.size(); i++) {
      policyArn(arns.get(i), accountId, "attachedPolicies[" + i + "]", issues);
    }
    if (arns.size() > limit) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          "attachedPolicies",
          "at most " + limit + " managed policies can be attached, not " + arns.size());
    }
    unique(arns, "attachedPolicies", "policy", issues);
    return arns;
  }

  private static String boundary(Fields f, String accountId, Issues issues) {
    Optional<String> arn = f.text("permissionsBoundary", false);
    arn.ifPresent(a -> policyArn(a, accountId, "permissionsBoundary", issues));
    return arn.orElse(null);
  }

  private static void policyArn(String arn, String accountId, String at, Issues issues) {
    var m = POLICY_ARN.matcher(arn);
    if (!m.matches()) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          at,
          "`" + arn + "` is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)");
    } else if (!m.group(1).equals("aws") && !m.group(1).equals(accountId)) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          at,
          "`" + arn + "` belongs to another account than `" + accountId + "`");
    }
  }

  private static Map<String, String> tags(Fields f, Issues issues) {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<ObjectNode> node = f.object("tags", false);
    if (node.isEmpty()) {
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.get().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = "tags." + e.getKey();
      if (e.getKey().isEmpty() || e.getKey().length() > 128) {
        issues.add(ErrorCode.INVALID_REQUEST, at, "a tag key has 1 to 128 characters");
      } else if (e.getKey().regionMatches(true, 0, "aws:", 0, 4)) {
        // IAM refuses them: the prefix is AWS's own (an import keeps what AWS exported).
        issues.add(
            ErrorCode.INVALID_REQUEST, at, "tag keys that start with `aws:` are reserved for AWS");
      } else if (!seen.add(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
        issues.add(
            ErrorCode.INVALID_REQUEST, at, "tag keys differ only in case: `" + e.getKey() + "`");
      }
      if (!e.getValue().isTextual() || e.getValue().textValue().length() > 256) {
        issues.add(
            ErrorCode.INVALID_REQUEST, at, "a tag value is a string of at most 256 characters");
      } else {
        out.put(e.getKey(), e.getValue().textValue());
      }
    }
    if (out.size() > 50) {
      issues.add(
          ErrorCode.INVALID_REQUEST, "tags", "at most 50 tags are allowed, not " + out.size());
    }
    return out;
  }

  private static void unique(List<String> names, String field, String what, Issues issues) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      if (!seen.add(IamNames.uniquenessKey(names.get(i)))) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            field + "[" + i + "]",
            "the " + what + " `" + names.get(i) + "` is listed twice");
      }
    }
  }

  static String compact(JsonNode doc) {
    try {
      return StrictJson.MAPPER.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
