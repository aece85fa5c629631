package dev.rolegate.api.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.problem.StrictJson.Fields;
import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.operation.InstanceProfileOperation;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyLimits;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.parse.Problem;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.request.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body of a decision request (design.md): principal, operation, instance, role and context,
 * checked field by field; optionally {@code minRevision}, the revision of a write the answer must
 * include, and for a role session its {@code sessionPolicy}. {@code path} is where the body is in
 * the request and prefixes problem paths ({@code input} for OPA bodies, {@code requests[i]} in a
 * batch).
 */
public record DecisionRequestBody(
    String text,
    String path,
    Principal principal,
    InstanceProfileOperation operation,
    String instanceArn,
    Optional<String> roleArn,
    Map<String, List<String>> context,
    Optional<Long> minRevision,
    Optional<SourcedPolicy> sessionPolicy) {

  /**
   * Where a field of this body is in the request, for problems found once it was read: {@code
   * minRevision}, {@code input.minRevision}, {@code requests[3].minRevision}.
   */
  public String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** AWS caps a session policy's plain text at 2,048 characters. */
  static final int MAX_SESSION_POLICY = 2_048;

  static final int MAX_CONTEXT_KEYS = 100;
  static final int MAX_CONTEXT_VALUES = 100;
  static final Set<String> FIELDS =
      Set.of(
          "principal",
          "operation",
          "instanceArn",
          "roleArn",
          "context",
          "minRevision",
          "sessionPolicy");

  /**
   * Reads and validates the body; throws the problems of every field at once. {@code text} is the
   * request as the audit log keeps it: the body as received, so that it need not be written again.
   */
  public static DecisionRequestBody read(ObjectNode node, String path, String text) {
    Issues issues = new Issues();
    Fields f = new Fields(node, path, issues).allow(FIELDS);
    Optional<String> principalArn = f.text("principal", true);
    Optional<Principal> principal = Optional.empty();
    if (principalArn.isPresent()) {
      principal = Principal.parse(principalArn.get());
      if (principal.isEmpty()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            f.at("principal"),
            "`"
                + principalArn.get()
                + "` is neither a user ARN (arn:aws:iam::ACCOUNT:user/NAME) nor a role session ARN"
                + " (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION)");
      }
    }
    Optional<InstanceProfileOperation> operation =
        f.text("operation", true)
            .flatMap(
                op -> {
                  Optional<InstanceProfileOperation> o = InstanceProfileOperation.fromWireName(op);
                  if (o.isEmpty()) {
                    issues.add(
                        ErrorCode.INVALID_REQUEST,
                        f.at("operation"),
                        "`"
                            + op
                            + "` is not an operation: use `associate`, `replace` or `disassociate`");
                  }
                  return o;
                });
    Optional<String> instanceArn = f.text("instanceArn", true);
    Optional<String> roleArn = f.text("roleArn", false);
    if (operation.isPresent() && instanceArn.isPresent()) {
      for (Problem p :
          InstanceProfileRequest.validate(operation.get(), instanceArn.get(), roleArn)) {
        issues.add(ErrorCode.INVALID_REQUEST, p.under(path));
      }
    }
    Map<String, List<String>> context = context(f, issues);
    Optional<Long> minRevision =
        f.value("minRevision").flatMap(v -> revision(v, f.at("minRevision"), issues));
    Optional<SourcedPolicy> session = sessionPolicy(f, principal, issues);
    issues.throwIfAny();
    return new DecisionRequestBody(
        text,
        path,
        principal.orElseThrow(),
        operation.orElseThrow(),
        instanceArn.orElseThrow(),
        roleArn,
        context,
        minRevision,
        session);
  }

  /**
   * The policy the caller passed when it assumed its role (AssumeRole's Policy): only for a role
   * session, checked like any session policy, and part of this request only.
   */
  private static Optional<SourcedPolicy> sessionPolicy(
      Fields f, Optional<Principal> principal, Issues issues) {
    Optional<ObjectNode> node = f.object("sessionPolicy", false);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    String at = f.at("sessionPolicy");
    if (principal.isPresent() && !(principal.get() instanceof Principal.RoleSession)) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          at,
          "a session policy applies only to a role session principal"
              + " (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION)");
      return Optional.empty();
    }
    PolicyLimits.sizeProblem(node.get().toString(), MAX_SESSION_POLICY, "the session policy")
        .ifPresent(p -> issues.add(ErrorCode.INVALID_POLICY, p.under(at)));
    return switch (PolicyParser.parse(node.get(), PolicyKind.SESSION)) {
      case ParseResult.Parsed ok ->
          Optional.of(SourcedPolicy.of("session", PolicySourceType.SESSION, ok.document()));
      case ParseResult.Invalid bad -> {
        bad.problems().forEach(p -> issues.add(ErrorCode.INVALID_POLICY, p.under(at)));
        yield Optional.empty();
      }
    };
  }

  /** A revision a write returned: a whole number, 0 or more. */
  private static Optional<Long> revision(JsonNode v, String at, Issues issues) {
    if (v.canConvertToLong() && v.isIntegralNumber() && v.longValue() >= 0) {
      return Optional.of(v.longValue());
    }
    issues.add(
        ErrorCode.INVALID_REQUEST,
        at,
        "`minRevision` must be a revision a write returned (a whole number), not "
            + (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())
                ? "a number that large"
                : v.toString()));
    return Optional.empty();
  }

  /** Context values: a string, a number, a boolean, or an array of them (a multivalued key). */
  static Map<String, List<String>> context(Fields f, Issues issues) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Optional<ObjectNode> node = f.object("context", false);
    if (node.isEmpty()) {
      return out;
    }
    String base = f.at("context");
    if (node.get().size() > MAX_CONTEXT_KEYS) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          base,
          "the context has "
              + node.get().size()
              + " keys; at most "
              + MAX_CONTEXT_KEYS
              + " are allowed");
      return out;
    }
    // IAM reads context keys without regard to case, and so does the engine: two keys that differ
    // only in case would be one, with either's values.
    Map<String, String> seen = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.get().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String at = base + "." + key;
      if (key.isEmpty() || key.length() > 256 || !key.contains(":")) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at,
            "`" + key + "` is not a context key (such as `aws:SourceIp` or `ec2:ResourceTag/Env`)");
        continue;
      }
      String other = seen.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
      if (other != null) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at,
            "`"
                + key
                + "` and `"
                + other
                + "` are one context key: IAM reads keys without regard to case; give it once");
        continue;
      }
      JsonNode v = e.getValue();
      List<String> values = new ArrayList<>();
      if (v.isArray()) {
        if (v.size() > MAX_CONTEXT_VALUES) {
          issues.add(
              ErrorCode.INVALID_REQUEST, at, "at most " + MAX_CONTEXT_VALUES + " values per key");
          continue;
        }
        for (int i = 0; i < v.size(); i++) {
          scalar(v.get(i), at + "[" + i + "]", issues).ifPresent(values::add);
        }
      } else {
        scalar(v, at, issues).ifPresent(values::add);
      }
      out.put(key, values);
    }
    return out;
  }

  private static Optional<String> scalar(JsonNode v, String at, Issues issues) {
    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
      // 1e400 reads as infinity, which the log would keep as "Infinity": not what was sent.
      issues.add(
          ErrorCode.INVALID_REQUEST,
          at,
          "a context number must be within what a double holds (about 1.8e308); send a larger one"
              + " as a string");
      return Optional.empty();
    }
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return Optional.of(v.asText());
    }
    issues.add(
        ErrorCode.INVALID_REQUEST,
        at,
        "a context value must be a string, number or boolean (or an array of them), not "
            + StrictJson.kind(v));
    return Optional.empty();
  }
}
