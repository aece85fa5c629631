package dev.rolegate.engine.eval;

import dev.rolegate.engine.eval.PolicyScenarios.ConditionSpec;
import dev.rolegate.engine.eval.PolicyScenarios.PolicySpec;
import dev.rolegate.engine.eval.PolicyScenarios.RequestSpec;
import dev.rolegate.engine.eval.PolicyScenarios.Scenario;
import dev.rolegate.engine.eval.PolicyScenarios.StatementSpec;
import dev.rolegate.engine.policy.Effect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A deliberately naive decision for the vocabulary of {@link PolicyScenarios}, written from
 * iam-reference §2-§3 and not from the engine: every statement of every layer is looked at (no
 * index), patterns become regular expressions, and each condition operator of the vocabulary is
 * spelled out. It only has to be right for that vocabulary.
 */
final class ReferenceEvaluator {
  private ReferenceEvaluator() {}

  static Decision decide(Scenario scenario) {
    RequestSpec request = scenario.request();
    Map<String, List<String>> context = visibleContext(request);
    List<List<PolicySpec>> layers = new ArrayList<>();
    layers.add(scenario.identity());
    scenario.boundary().ifPresent(b -> layers.add(List.of(b)));
    layers.addAll(scenario.scpLevels());
    scenario.session().ifPresent(s -> layers.add(List.of(s)));

    boolean anyDeny = false;
    boolean everyLayerAllows = true;
    for (List<PolicySpec> layer : layers) {
      boolean allows = false;
      for (PolicySpec policy : layer) {
        for (StatementSpec s : policy.statements()) {
          if (applies(s, request, context)) {
            anyDeny |= s.effect() == Effect.DENY;
            allows |= s.effect() == Effect.ALLOW;
          }
        }
      }
      everyLayerAllows &= allows;
    }
    if (anyDeny) {
      return Decision.EXPLICIT_DENY;
    }
    return everyLayerAllows ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
  }

  /** The caller's keys, less the PassRole keys on any other action (iam-reference §1). */
  private static Map<String, List<String>> visibleContext(RequestSpec request) {
    Map<String, List<String>> m = new HashMap<>();
    request
        .context()
        .forEach(
            (k, v) -> {
              boolean passRoleKey = k.startsWith("iam:");
              if (!passRoleKey || request.action().equals("iam:PassRole")) {
                m.put(k, v);
              }
            });
    return m;
  }

  private static boolean applies(
      StatementSpec s, RequestSpec request, Map<String, List<String>> context) {
    boolean action =
        s.actions().stream().anyMatch(p -> glob(p, true).matcher(request.action()).matches());
    boolean resource =
        s.resources().stream().anyMatch(p -> glob(p, false).matcher(request.resource()).matches());
    return action != s.notAction()
        && resource != s.notResource()
        && s.conditions().stream().allMatch(c -> holds(c, context.get(c.key())));
  }

  /**
   * {@code *} any run, {@code ?} one character. A whole-string match is enough for the resource
   * patterns of the vocabulary, whose wildcards cannot reach across an ARN's colons wrongly.
   */
  private static Pattern glob(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
  }

  /** Condition operators of the vocabulary; {@code values} is null when the key is absent. */
  private static boolean holds(ConditionSpec c, List<String> values) {
    boolean present = values != null && !values.isEmpty();
    List<String> policy = c.values();
    return switch (c.operator()) {
      case "StringEquals" -> present && values.stream().anyMatch(policy::contains);
      case "StringNotEquals" -> !present || values.stream().noneMatch(policy::contains);
      case "StringLike" ->
          present
              && values.stream()
                  .anyMatch(
                      v -> policy.stream().anyMatch(p -> glob(p, false).matcher(v).matches()));
      case "Bool" ->
          present
              && values.stream()
                  .anyMatch(v -> policy.stream().anyMatch(p -> p.equalsIgnoreCase(v)));
      case "IpAddress" -> present && values.stream().anyMatch(v -> inRange(policy, v));
      case "NotIpAddress" -> !present || values.stream().noneMatch(v -> inRange(policy, v));
      case "Null" -> policy.get(0).toLowerCase(Locale.ROOT).equals("true") != present;
      case "ForAllValues:StringEquals" -> !present || policy.containsAll(values);
      case "ForAnyValue:StringEquals" -> present && values.stream().anyMatch(policy::contains);
      case "ArnLike" ->
          present
              && values.stream()
                  .anyMatch(
                      v -> policy.stream().anyMatch(p -> glob(p, false).matcher(v).matches()));
      default -> throw new IllegalArgumentException("not in the vocabulary: " + c);
    };
  }

  /** The only range of the vocabulary is 10.0.0.0/8; the request's addresses are plain IPv4. */
  private static boolean inRange(List<String> policy, String ip) {
    if (!policy.equals(List.of("10.0.0.0/8"))) {
      throw new IllegalArgumentException("not in the vocabulary: " + policy);
    }
    return ip.startsWith("10.");
  }
}
