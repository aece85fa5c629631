package dev.rolegate.engine.explain;

import dev.rolegate.engine.condition.ConditionFailure;
import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.Layer;
import dev.rolegate.engine.eval.LayerResult;
import dev.rolegate.engine.eval.MatchedStatement;
import dev.rolegate.engine.eval.NearMiss;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.request.Principal;
import java.util.ArrayList;
import java.util.List;

/** Writes the one-sentence explanation of an instance-profile decision. */
public final class Explanation {
  private Explanation() {}

  /** How the explanation names the request's parts. */
  public record Subject(Principal principal, String instanceId, String roleName, String verb) {}

  /**
   * One sentence for the decision: what is allowed, then, after "but", what blocks the rest.
   *
   * @param subject who, the instance and the role, and the verb phrase of the operation
   */
  public static String of(Subject subject, List<CheckResult> checks) {
    String who = subject.principal().displayName();
    // Loops, not streams: this runs on every decision.
    boolean allAllowed = true;
    for (CheckResult c : checks) {
      if (!c.allowed()) {
        allAllowed = false;
        break;
      }
    }
    if (allAllowed) {
      List<String> names = new ArrayList<>(checks.size());
      for (CheckResult c : checks) {
        names.add(c.action());
      }
      String actions = join(names, "and");
      return who
          + " may "
          + subject.verb()
          + ": "
          + actions
          + (checks.size() == 1 ? " is allowed" : " are allowed");
    }
    List<String> allowed = new ArrayList<>();
    List<String> denied = new ArrayList<>();
    for (CheckResult c : checks) {
      if (c.allowed()) {
        allowed.add(who + " may " + doing(c, subject));
      } else {
        denied.add(blocked(c, subject, who));
      }
    }
    String deniedText = join(denied, "and");
    return allowed.isEmpty() ? deniedText : join(allowed, "and") + ", but " + deniedText;
  }

  /** What the check lets the principal do, e.g. "pass role Web to EC2". */
  private static String doing(CheckResult c, Explanation.Subject subject) {
    if (c.action().equalsIgnoreCase("iam:PassRole")) {
      return "pass role " + subject.roleName() + " to EC2";
    }
    return "call " + c.action();
  }

  private static String target(CheckResult c, Explanation.Subject subject) {
    if (c.action().equalsIgnoreCase("iam:PassRole")) {
      return "pass role " + subject.roleName() + " to EC2";
    }
    return "call " + c.action() + " on instance " + subject.instanceId();
  }

  private static String blocked(CheckResult c, Explanation.Subject subject, String who) {
    if (c.decision() == Decision.EXPLICIT_DENY) {
      MatchedStatement deny = c.matchedStatements().get(0);
      return statementName(deny) + " explicitly forbids " + who + " to " + target(c, subject);
    }
    LayerResult identity = c.layer(Layer.IDENTITY);
    if (identity != null && identity.decision() != Decision.ALLOWED) {
      return "no policy lets " + who + " " + target(c, subject) + nearMiss(c);
    }
    for (LayerResult r : c.layers()) {
      if (r.decision() == Decision.ALLOWED) {
        continue;
      }
      String what = target(c, subject);
      return switch (r.layer()) {
        case PERMISSIONS_BOUNDARY ->
            who + "'s permissions boundary does not let " + who + " " + what;
        case SERVICE_CONTROL ->
            "the service control policies at organization level "
                + r.level()
                + " do not let "
                + who
                + " "
                + what;
        case SESSION -> "the session policy does not let " + who + " " + what;
        case IDENTITY -> "no policy lets " + who + " " + what;
      };
    }
    return "no policy lets " + who + " " + target(c, subject);
  }

  /** The first Allow that came close: its failed condition, so the reader knows what to fix. */
  private static String nearMiss(CheckResult c) {
    for (NearMiss m : c.nearMisses()) {
      if (m.statement().effect() == Effect.ALLOW && m.statement().layer() == Layer.IDENTITY) {
        ConditionFailure f = m.failedConditions().get(0);
        String got =
            f.keyMissing()
                ? "the request has no " + f.key()
                : "the request has " + f.key() + " = " + String.join(", ", f.requestValues());
        return " ("
            + statementName(m.statement())
            + " matches, but its condition "
            + f.operator()
            + " "
            + f.key()
            + " failed: "
            + got
            + ")";
      }
    }
    return "";
  }

  /** "statement DenyIam of policy P", or "statement 2 of policy P" without a Sid. */
  public static String statementName(MatchedStatement s) {
    String name = s.sid().filter(sid -> !sid.isEmpty()).orElse("#" + s.statementIndex());
    return "statement " + name + " of " + s.sourcePolicyId();
  }

  private static String join(List<String> parts, String conjunction) {
    if (parts.size() <= 1) {
      return parts.isEmpty() ? "" : parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1))
        + " "
        + conjunction
        + " "
        + parts.get(parts.size() - 1);
  }
}
