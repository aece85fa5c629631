package dev.rolegate.engine.eval;

import dev.rolegate.engine.condition.CompiledCondition;
import dev.rolegate.engine.condition.ConditionFailure;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.request.AuthorizationRequest;
import dev.rolegate.engine.request.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides one check with the same-account logic of AWS IAM (iam-reference §3): an explicit Deny in
 * any layer wins; otherwise the identity policies must allow, and so must the permissions boundary,
 * every SCP level and the session policy when present; anything else is an implicit deny.
 */
public final class Authorizer {
  private Authorizer() {}

  public static CheckResult authorize(AuthorizationRequest request, PrincipalPolicies policies) {
    String action = request.action().toLowerCase(Locale.ROOT);
    Scratch scratch = new Scratch();
    List<LayerResult> layers = new ArrayList<>(4);

    layers.add(evaluate(policies.identity(), action, request, scratch));
    policies.boundary().ifPresent(b -> layers.add(evaluate(b, action, request, scratch)));
    for (PolicySet level : policies.serviceControlLevels()) {
      layers.add(evaluate(level, action, request, scratch));
    }
    policies.session().ifPresent(s -> layers.add(evaluate(s, action, request, scratch)));

    Decision decision;
    if (!scratch.denies.isEmpty()) {
      decision = Decision.EXPLICIT_DENY;
    } else {
      decision = Decision.ALLOWED;
      for (LayerResult r : layers) {
        if (r.decision() != Decision.ALLOWED) {
          decision = Decision.IMPLICIT_DENY;
          break;
        }
      }
    }
    List<MatchedStatement> matched =
        decision == Decision.EXPLICIT_DENY ? scratch.denies : scratch.allows;
    return new CheckResult(
        request.action(),
        request.resource(),
        decision,
        matched,
        layers,
        scratch.missing,
        scratch.nearMisses);
  }

  /** Matches every candidate statement of one layer and records what it found. */
  private static LayerResult evaluate(
      PolicySet set, String action, AuthorizationRequest request, Scratch scratch) {
    RequestContext context = request.context();
    boolean allowed = false;
    boolean denied = false;
    for (CompiledStatement s : set.candidates(action)) {
      if (!s.actionMatches(action)) {
        continue;
      }
      if (!s.resourceMatches(request.resource(), context)) {
        // A Resource variable the request cannot resolve is a context value the policy asked for.
        s.collectUnresolvedResourceVariables(context, scratch.missing);
        continue;
      }
      List<ConditionFailure> failures = null;
      for (CompiledCondition c : s.conditions) {
        c.collectMissingKeys(context, scratch.missing);
        ConditionFailure f = c.evaluate(context);
        if (f != null) {
          if (failures == null) {
            failures = new ArrayList<>(2);
          }
          failures.add(f);
        }
      }
      if (failures != null) {
        scratch.nearMisses.add(new NearMiss(s.reference, failures));
      } else if (s.effect() == Effect.DENY) {
        denied = true;
        scratch.denies.add(s.reference);
      } else {
        allowed = true;
        scratch.allows.add(s.reference);
      }
    }
    Decision d =
        denied ? Decision.EXPLICIT_DENY : allowed ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    return new LayerResult(set.layer(), set.level(), d);
  }

  /** What the layers of one check collect. */
  private static final class Scratch {
    final List<MatchedStatement> allows = new ArrayList<>(4);
    final List<MatchedStatement> denies = new ArrayList<>(0);
    final List<NearMiss> nearMisses = new ArrayList<>(0);
    final List<String> missing = new ArrayList<>(0);
  }
}
