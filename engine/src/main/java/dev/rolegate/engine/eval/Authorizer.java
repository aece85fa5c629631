package dev.rolegate.engine.eval;

import dev.rolegate.engine.condition.ConditionFailure;
import dev.rolegate.engine.match.ArnPattern;
import dev.rolegate.engine.match.ResourceMatcher;
import dev.rolegate.engine.request.AuthorizationRequest;
import dev.rolegate.engine.request.RequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides one check with the same-account logic of AWS IAM (iam-reference §3): an explicit Deny in
 * any layer wins; otherwise the identity policies must allow, and so must the permissions boundary,
 * every SCP level and the session policy when present; anything else is an implicit deny.
 */
public final class Authorizer {
  private Authorizer() {}

  public static CheckResult authorize(AuthorizationRequest request, PrincipalPolicies policies) {
    // As given: the sets look it up in their cache as is, and lower-case it only on a miss.
    String action = request.action();
    Scratch scratch = new Scratch(ArnPattern.target(request.resource()));
    List<LayerResult> layers = new ArrayList<>(4);

    layers.add(
        result(Layer.IDENTITY, 0, match(policies.identityMatching(action), request, scratch)));
    PolicySet boundary = policies.boundaryOrNull();
    if (boundary != null) {
      layers.add(evaluate(boundary, action, request, scratch));
    }
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

  /** Marks a condition group that held in a check's memo. */
  private static final Object HOLDS = new Object();

  /** A layer made of one set. */
  private static LayerResult evaluate(
      PolicySet set, String action, AuthorizationRequest request, Scratch scratch) {
    return result(set.layer(), set.level(), match(set.matching(action), request, scratch));
  }

  private static final int ALLOWS = 1;
  private static final int DENIES = 2;

  private static LayerResult result(Layer layer, int level, int found) {
    Decision d =
        (found & DENIES) != 0
            ? Decision.EXPLICIT_DENY
            : (found & ALLOWS) != 0 ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    return new LayerResult(layer, level, d);
  }

  /**
   * Matches the candidates of a layer for an action, records what it found, and answers {@link
   * #ALLOWS} and {@link #DENIES} as found. A resource matcher or condition group shared by several
   * statements is decided once: its answer depends only on the request, and the missing keys it
   * reports are already recorded the second time, so reusing the answer changes nothing but the
   * cost.
   */
  private static int match(Candidates candidates, AuthorizationRequest request, Scratch scratch) {
    RequestContext context = request.context();
    boolean allowed = false;
    boolean denied = false;
    int n = candidates.size();
    // 0: not decided yet, 1: matches, 2: does not.
    byte[] resourceMemo = new byte[candidates.resourceSlots];
    // null: not evaluated yet, HOLDS, or the list of failures.
    Object[] conditionMemo = new Object[candidates.conditionSlots];
    for (int i = 0; i < n; i++) {
      int r = candidates.resourceSlot(i);
      if (resourceMemo[r] == 0) {
        Object resources = candidates.resources(i);
        boolean matches = ResourceMatcher.matches(resources, scratch.resource, context);
        resourceMemo[r] = matches ? (byte) 1 : (byte) 2;
        if (!matches) {
          // A Resource variable the request cannot resolve is a context value the policy asked for.
          ResourceMatcher.collectUnresolvedVariables(resources, context, scratch.missing);
        }
      }
      if (resourceMemo[r] != 1) {
        continue;
      }
      MatchedStatement reference = candidates.reference(i);
      List<ConditionFailure> failures = null;
      int c = candidates.conditionSlot(i);
      if (c >= 0) {
        Object known = conditionMemo[c];
        if (known == null) {
          failures = candidates.conditions(i).evaluate(context, scratch.missing);
          conditionMemo[c] = failures == null ? HOLDS : failures;
        } else if (known != HOLDS) {
          @SuppressWarnings("unchecked")
          List<ConditionFailure> f = (List<ConditionFailure>) known;
          failures = f;
        }
      }
      if (failures != null) {
        scratch.nearMisses.add(new NearMiss(reference, failures));
      } else if (candidates.denies(i)) {
        denied = true;
        scratch.denies.add(reference);
      } else {
        allowed = true;
        scratch.allows.add(reference);
      }
    }
    return (allowed ? ALLOWS : 0) | (denied ? DENIES : 0);
  }

  /** What the layers of one check collect. */
  private static final class Scratch {
    /** The request's resource, cut at its colons once for all patterns of all layers. */
    final ArnPattern.Target resource;

    final List<MatchedStatement> allows = new ArrayList<>(4);
    final List<MatchedStatement> denies = new ArrayList<>(0);
    final List<NearMiss> nearMisses = new ArrayList<>(0);
    final List<String> missing = new ArrayList<>(0);

    Scratch(ArnPattern.Target resource) {
      this.resource = resource;
    }
  }
}
