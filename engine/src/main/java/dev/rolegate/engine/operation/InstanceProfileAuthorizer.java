package dev.rolegate.engine.operation;

import dev.rolegate.engine.eval.Authorizer;
import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.MatchedStatement;
import dev.rolegate.engine.eval.NearMiss;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.explain.Explanation;
import dev.rolegate.engine.match.Glob;
import dev.rolegate.engine.match.PatternText;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.Statement;
import dev.rolegate.engine.remedy.Remedy;
import dev.rolegate.engine.remedy.RemedyStatement;
import dev.rolegate.engine.request.AuthorizationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides an instance-profile request: builds its checks (the EC2 action on the instance and, for
 * associate and replace, {@code iam:PassRole} on the role with the PassRole context), decides each
 * with {@link Authorizer}, and adds findings, the explanation and the remedy.
 */
public final class InstanceProfileAuthorizer {
  static final String EC2_SERVICE = "ec2.amazonaws.com";
  private static final String PASS_ROLE = "iam:PassRole";

  private InstanceProfileAuthorizer() {}

  public static InstanceProfileDecision authorize(
      InstanceProfileRequest request, PrincipalPolicies policies) {
    List<AuthorizationRequest> checks = checks(request);
    List<CheckResult> results = new ArrayList<>(checks.size());
    for (AuthorizationRequest check : checks) {
      results.add(Authorizer.authorize(check, policies));
    }
    Decision decision = Decision.ALLOWED;
    for (CheckResult r : results) {
      if (r.decision() == Decision.EXPLICIT_DENY) {
        decision = Decision.EXPLICIT_DENY;
      } else if (r.decision() == Decision.IMPLICIT_DENY && decision == Decision.ALLOWED) {
        decision = Decision.IMPLICIT_DENY;
      }
    }
    String explanation = Explanation.of(subject(request), results);
    Optional<Remedy> remedy =
        decision == Decision.ALLOWED
            ? Optional.empty()
            : Optional.of(Remedy.of(results, remedyStatements(request, checks)));
    return new InstanceProfileDecision(
        decision == Decision.ALLOWED,
        decision,
        results,
        findings(request, results),
        explanation,
        remedy);
  }

  /** The checks the operation needs, in the order EC2 makes them. */
  public static List<AuthorizationRequest> checks(InstanceProfileRequest request) {
    InstanceProfileOperation op = request.operation();
    List<AuthorizationRequest> out = new ArrayList<>(2);
    out.add(
        AuthorizationRequest.of(
            request.principal(), op.ec2Action(), request.instanceArn(), request.context()));
    if (op.passesRole()) {
      out.add(
          AuthorizationRequest.of(
              request.principal(),
              PASS_ROLE,
              request.roleArn().orElseThrow(),
              passRoleContext(request)));
    }
    return out;
  }

  /**
   * The PassRole context: the caller's global keys without the instance's resource tags (they
   * describe the instance, not the role), the role's tags when known, and the two PassRole keys.
   */
  private static Map<String, List<String>> passRoleContext(InstanceProfileRequest request) {
    Map<String, List<String>> context = new LinkedHashMap<>();
    request
        .context()
        .forEach(
            (k, v) -> {
              if (!startsWithLowerCase(k, "aws:resourcetag/")) {
                context.put(k, v);
              }
            });
    request
        .role()
        .ifPresent(
            role ->
                role.tags()
                    .forEach(
                        (k, v) -> {
                          context.put("aws:ResourceTag/" + k, List.of(v));
                          context.put("iam:ResourceTag/" + k, List.of(v));
                        }));
    context.put("iam:PassedToService", List.of(EC2_SERVICE));
    context.put("iam:AssociatedResourceArn", List.of(request.instanceArn()));
    return context;
  }

  private static List<RemedyStatement> remedyStatements(
      InstanceProfileRequest request, List<AuthorizationRequest> checks) {
    List<RemedyStatement> out = new ArrayList<>(checks.size());
    for (AuthorizationRequest check : checks) {
      if (check.action().equals(PASS_ROLE)) {
        out.add(
            new RemedyStatement(
                "PassRoleToEc2",
                PASS_ROLE,
                check.resource(),
                Map.of("StringEquals", Map.of("iam:PassedToService", EC2_SERVICE))));
      } else {
        String name = check.action().substring(check.action().indexOf(':') + 1);
        out.add(new RemedyStatement("Allow" + name, check.action(), check.resource(), Map.of()));
      }
    }
    return out;
  }

  private static Explanation.Subject subject(InstanceProfileRequest request) {
    String role = request.roleName().orElse("");
    String instance = request.instanceId();
    String verb =
        switch (request.operation()) {
          case ASSOCIATE -> "attach role " + role + " to instance " + instance;
          case REPLACE -> "replace the role of instance " + instance + " with role " + role;
          case DISASSOCIATE -> "detach the role from instance " + instance;
        };
    return new Explanation.Subject(request.principal(), instance, role, verb);
  }

  private static List<Finding> findings(InstanceProfileRequest request, List<CheckResult> results) {
    List<Finding> out = new ArrayList<>();
    String instanceAccount = request.instanceAccount();
    if (!instanceAccount.equals(request.principal().accountId())) {
      // Same-account evaluation says what the caller's policies allow; across accounts the
      // instance's side would have to allow too, and an instance has no resource policy.
      out.add(
          new Finding(
              Finding.Kind.INSTANCE_IN_OTHER_ACCOUNT,
              "instance "
                  + request.instanceId()
                  + " belongs to account "
                  + instanceAccount
                  + ": EC2 acts only on the instances of the caller's own account"));
    }
    if (!request.operation().passesRole()) {
      return out;
    }
    String roleArn = request.roleArn().orElseThrow();
    String roleName = request.roleName().orElse(roleArn);
    request
        .roleAccount()
        .filter(account -> !account.equals(request.principal().accountId()))
        .ifPresent(
            account ->
                out.add(
                    new Finding(
                        Finding.Kind.ROLE_IN_OTHER_ACCOUNT,
                        "role "
                            + roleName
                            + " belongs to account "
                            + account
                            + ": iam:PassRole cannot pass a role of another account")));
    request
        .role()
        .ifPresent(
            role -> {
              if (role.trustRefusesEc2()) {
                out.add(
                    new Finding(
                        Finding.Kind.ROLE_NOT_TRUSTED_BY_EC2,
                        "the trust policy of role "
                            + roleName
                            + " does not allow "
                            + EC2_SERVICE
                            + " to call sts:AssumeRole: EC2 could not use the role"));
              }
              if (role.instanceProfileArns().isEmpty()) {
                out.add(
                    new Finding(
                        Finding.Kind.ROLE_IN_NO_INSTANCE_PROFILE,
                        "role "
                            + roleName
                            + " is in no instance profile: add it to one before attaching it"));
              }
            });
    if (reliesOnRoleTags(results)) {
      out.add(
          new Finding(
              Finding.Kind.PASSROLE_CONDITION_ON_ROLE_TAGS,
              "a policy limits iam:PassRole by the role's tags; AWS documents that PassRole"
                  + " cannot be limited by the tags of the role, so do not rely on it"));
    }
    return out;
  }

  /**
   * Whether the trust policy lets EC2 assume the role: an Allow of {@code sts:AssumeRole} naming
   * the service, and no Deny of it for the service. Conditions are taken as satisfiable: EC2's own
   * request is not known here.
   */
  static boolean trustsEc2(PolicyDocument trust) {
    boolean allowed = false;
    for (Statement s : trust.statements()) {
      boolean names =
          s.principal().map(p -> p.negated() != p.names("Service", EC2_SERVICE)).orElse(false);
      if (!names || !coversAssumeRole(s.action())) {
        continue;
      }
      if (s.effect() == Effect.DENY && s.conditions().isEmpty()) {
        return false;
      }
      allowed |= s.effect() == Effect.ALLOW;
    }
    return allowed;
  }

  private static boolean coversAssumeRole(ActionClause clause) {
    boolean any = false;
    for (String p : clause.patterns()) {
      Glob g = PatternText.compile(p, true, false, true).resolve(k -> null);
      any |= g.matches("sts:assumerole");
    }
    return any != (clause instanceof ActionClause.Excluded);
  }

  /**
   * Whether a statement that matched the PassRole check's action and resource (whether or not its
   * conditions held) has a condition on the role's tags.
   */
  private static boolean reliesOnRoleTags(List<CheckResult> results) {
    for (CheckResult r : results) {
      if (!r.action().equals(PASS_ROLE)) {
        continue;
      }
      for (MatchedStatement m : r.matchedStatements()) {
        if (conditionOnRoleTags(m)) {
          return true;
        }
      }
      for (NearMiss m : r.nearMisses()) {
        if (conditionOnRoleTags(m.statement())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean conditionOnRoleTags(MatchedStatement m) {
    for (Condition c : m.source().conditions()) {
      String key = c.key();
      if (startsWithLowerCase(key, "aws:resourcetag/")
          || startsWithLowerCase(key, "iam:resourcetag/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code text.toLowerCase(Locale.ROOT)} starts with the lower-case ASCII prefix, without
   * lower-casing the whole text: this runs for every PassRole near miss. Where the text's first
   * characters are ASCII, lower-casing maps them one to one; otherwise it may change lengths, so
   * the text is lower-cased as before.
   */
  static boolean startsWithLowerCase(String text, String prefix) {
    int n = Math.min(text.length(), prefix.length());
    for (int i = 0; i < n; i++) {
      if (text.charAt(i) >= 0x80) {
        return text.toLowerCase(Locale.ROOT).startsWith(prefix);
      }
    }
    if (text.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
