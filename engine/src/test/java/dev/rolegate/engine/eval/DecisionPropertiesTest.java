package dev.rolegate.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rolegate.engine.condition.ConditionFailure;
import dev.rolegate.engine.eval.PolicyScenarios.LayerAndLevel;
import dev.rolegate.engine.eval.PolicyScenarios.Located;
import dev.rolegate.engine.eval.PolicyScenarios.Placement;
import dev.rolegate.engine.eval.PolicyScenarios.Scenario;
import dev.rolegate.engine.eval.PolicyScenarios.StatementSpec;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.Statement;
import dev.rolegate.engine.request.AuthorizationRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link Authorizer} over random policy layers (iam-reference §3): a Deny only ever
 * takes permission away and an identity Allow only ever grants it; the order of statements and
 * policies does not matter; an unconditional Deny in any layer wins; and the reasoning returned
 * with a decision (matched statements, layer results) agrees with the decision. Last, the decision
 * agrees with a naive {@link ReferenceEvaluator}. The inputs are valid policy documents written as
 * JSON from a small vocabulary; see {@link PolicyScenarios}.
 */
class DecisionPropertiesTest {

  /** A scenario and a statement to add to it, and where. */
  record Edit(Scenario scenario, Placement placement, StatementSpec statement) {
    Scenario edited() {
      return scenario.withStatement(placement, statement);
    }

    @Override
    public String toString() {
      return "add " + statement.toJsonTree() + " at " + placement + " to" + scenario;
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return PolicyScenarios.scenarios();
  }

  /** A random Deny statement anywhere: into any policy of any layer, or as a new policy. */
  @Provide
  Arbitrary<Edit> addedDenies() {
    return PolicyScenarios.scenarios()
        .flatMap(
            s ->
                Combinators.combine(
                        PolicyScenarios.placements(s, true), PolicyScenarios.denyStatements())
                    .as((where, deny) -> new Edit(s, where, deny)));
  }

  /** A random Allow statement into an identity policy, or as a new identity policy. */
  @Provide
  Arbitrary<Edit> addedIdentityAllows() {
    return PolicyScenarios.scenarios()
        .flatMap(
            s ->
                Combinators.combine(
                        PolicyScenarios.placements(s, false), PolicyScenarios.allowStatements())
                    .as((where, allow) -> new Edit(s, where, allow)));
  }

  /**
   * {@code Deny * on *} without condition, into a random policy of a random layer that the request
   * has (each layer as likely as the others), at a random position.
   */
  @Provide
  Arbitrary<Edit> addedDenyEverything() {
    return PolicyScenarios.scenarios()
        .flatMap(
            s ->
                Arbitraries.of(s.located().stream().map(Located::layer).distinct().toList())
                    .flatMap(
                        layer ->
                            Arbitraries.of(
                                s.located().stream().filter(l -> l.layer() == layer).toList()))
                    .flatMap(
                        target ->
                            Arbitraries.integers()
                                .between(0, target.policy().statements().size())
                                .map(
                                    i ->
                                        new Edit(
                                            s,
                                            new Placement.IntoPolicy(target.policy().id(), i),
                                            StatementSpec.everything(Effect.DENY)))));
  }

  @Property(tries = 1000)
  void addingADenyNeverMakesTheDecisionMorePermissive(@ForAll("addedDenies") Edit edit) {
    Decision before = edit.scenario().decide().decision();
    Decision after = edit.edited().decide().decision();
    Statistics.label("before -> after").collect(before, after);

    if (before != Decision.ALLOWED && after == Decision.ALLOWED) {
      throw new AssertionError("a Deny turned " + before + " into ALLOWED");
    }
    if (permissiveness(after) > permissiveness(before)) {
      throw new AssertionError("a Deny turned " + before + " into " + after);
    }
  }

  @Property(tries = 1000)
  void addingAnIdentityAllowNeverDeniesWhatWasAllowed(@ForAll("addedIdentityAllows") Edit edit) {
    Decision before = edit.scenario().decide().decision();
    Decision after = edit.edited().decide().decision();
    Statistics.label("before -> after").collect(before, after);

    if (before == Decision.ALLOWED && after != Decision.ALLOWED) {
      throw new AssertionError("an identity Allow turned ALLOWED into " + after);
    }
    // An Allow adds no Deny: an explicit deny stays one, and nothing becomes one.
    if ((before == Decision.EXPLICIT_DENY) != (after == Decision.EXPLICIT_DENY)) {
      throw new AssertionError("an identity Allow turned " + before + " into " + after);
    }
  }

  @Property(tries = 1000)
  void orderOfStatementsAndPoliciesNeverChangesTheDecision(
      @ForAll("scenarios") Scenario scenario, @ForAll long seed) {
    Scenario shuffled = scenario.shuffled(new Random(seed));
    CheckResult original = scenario.decide();
    CheckResult reordered = shuffled.decide();

    assertEquals(original.decision(), reordered.decision(), "decision");
    // SCP levels keep their order, so the layers are reported alike.
    assertEquals(original.layers(), reordered.layers(), "layer results");
    // Indexes move with the statements: compare what the matched statements say, in any order.
    assertEquals(
        statementsOf(scenario, original.matchedStatements()),
        statementsOf(shuffled, reordered.matchedStatements()),
        "matched statements");
    assertEquals(
        nearMissesOf(scenario, original), nearMissesOf(shuffled, reordered), "near misses");
    assertEquals(
        new HashSet<>(original.missingContextValues()),
        new HashSet<>(reordered.missingContextValues()),
        "missing context values");
  }

  @Property(tries = 1000)
  void reasoningAgreesWithTheDecision(@ForAll("scenarios") Scenario scenario) {
    CheckResult result = scenario.decide();
    List<MatchedStatement> matched = result.matchedStatements();
    Statistics.label("decision").collect(result.decision());
    Statistics.label("decision")
        .coverage(
            c -> {
              c.check(Decision.ALLOWED).percentage(p -> p >= 5);
              c.check(Decision.IMPLICIT_DENY).percentage(p -> p >= 5);
              c.check(Decision.EXPLICIT_DENY).percentage(p -> p >= 5);
            });

    switch (result.decision()) {
      case ALLOWED -> {
        assertNoneWithEffect(matched, Effect.DENY, result);
        check(
            matched.stream()
                .anyMatch(m -> m.layer() == Layer.IDENTITY && m.effect() == Effect.ALLOW),
            "allowed without a matching identity Allow",
            result);
        // The Allows of every layer are listed, and each layer must have one.
        for (LayerResult layer : result.layers()) {
          check(
              matched.stream()
                  .anyMatch(m -> m.layer() == layer.layer() && m.level() == layer.level()),
              "allowed, but no Allow listed for " + layer,
              result);
        }
      }
      case EXPLICIT_DENY -> {
        check(!matched.isEmpty(), "explicit deny without a matched statement", result);
        assertNoneWithEffect(matched, Effect.ALLOW, result);
      }
      case IMPLICIT_DENY -> assertNoneWithEffect(matched, Effect.DENY, result);
    }

    for (MatchedStatement m : matched) {
      assertPointsAtItsStatement(scenario, m, result);
    }
    for (NearMiss n : result.nearMisses()) {
      assertPointsAtItsStatement(scenario, n.statement(), result);
      check(!n.failedConditions().isEmpty(), "a near miss without a failed condition", result);
    }
  }

  @Property(tries = 500)
  void unconditionalDenyOfEverythingInAnyLayerIsAnExplicitDeny(
      @ForAll("addedDenyEverything") Edit edit) {
    CheckResult result = edit.edited().decide();
    Placement.IntoPolicy into = (Placement.IntoPolicy) edit.placement();
    Statistics.label("layer")
        .collect(edit.scenario().locate(into.policyId()).orElseThrow().layer());

    check(result.decision() == Decision.EXPLICIT_DENY, "not an explicit deny", result);
    check(
        result.matchedStatements().stream()
            .anyMatch(
                m ->
                    m.sourcePolicyId().equals(into.policyId())
                        && m.statementIndex() == into.position()
                        && m.effect() == Effect.DENY),
        "the added Deny is not among the matched statements",
        result);
  }

  @Property(tries = 1000)
  void allowedMeansEveryLayerAllowed(@ForAll("scenarios") Scenario scenario) {
    CheckResult result = scenario.decide();

    // One result per layer the request has, in order: identity, boundary, SCP levels, session.
    assertEquals(
        scenario.presentLayers(),
        result.layers().stream().map(l -> new LayerAndLevel(l.layer(), l.level())).toList(),
        "layers reported");
    boolean everyLayerAllows =
        result.layers().stream().allMatch(l -> l.decision() == Decision.ALLOWED);
    boolean someLayerDenies =
        result.layers().stream().anyMatch(l -> l.decision() == Decision.EXPLICIT_DENY);
    if (result.allowed()) {
      check(everyLayerAllows, "allowed, but a layer does not allow", result);
    }
    check(
        result.allowed() == everyLayerAllows,
        "every layer allows, but the decision is " + result.decision(),
        result);
    check(
        (result.decision() == Decision.EXPLICIT_DENY) == someLayerDenies,
        "the decision " + result.decision() + " disagrees with the layers",
        result);
  }

  @Property(tries = 1000)
  void decisionAgreesWithANaiveReferenceEvaluator(@ForAll("scenarios") Scenario scenario) {
    assertEquals(ReferenceEvaluator.decide(scenario), scenario.decide().decision(), "decision");
  }

  /**
   * A store compiles each managed policy once, as its own set, and shares it between principals:
   * the same policies given as one set per policy must give the very same result, reasoning
   * included.
   */
  @Property(tries = 1000)
  void oneSetPerPolicyGivesTheSameResultAsOneSet(@ForAll("scenarios") Scenario scenario) {
    PrincipalPolicies oneSet = scenario.policies();
    List<PolicySet> perPolicy =
        oneSet.identityPolicies().stream()
            .map(p -> PolicySet.of(List.of(p), Layer.IDENTITY, 0))
            .toList();
    PrincipalPolicies shared =
        PrincipalPolicies.compiled(perPolicy, oneSet.boundary(), oneSet.serviceControlLevels());
    if (oneSet.session().isPresent()) {
      shared = shared.withSession(oneSet.session().get().policies().get(0));
    }
    AuthorizationRequest request = scenario.request().toRequest();
    assertEquals(
        Authorizer.authorize(request, oneSet), Authorizer.authorize(request, shared), "result");
  }

  // ---------------------------------------------------------------------------------------------

  /** ALLOWED 2, IMPLICIT_DENY 1, EXPLICIT_DENY 0. */
  private static int permissiveness(Decision d) {
    return switch (d) {
      case ALLOWED -> 2;
      case IMPLICIT_DENY -> 1;
      case EXPLICIT_DENY -> 0;
    };
  }

  /** What a matched statement refers to, independent of its position. */
  private record Found(
      String policyId, Layer layer, int level, Effect effect, StatementSpec statement) {}

  private static Found found(Scenario scenario, MatchedStatement m) {
    Located where = scenario.locate(m.sourcePolicyId()).orElseThrow();
    return new Found(
        m.sourcePolicyId(),
        m.layer(),
        m.level(),
        m.effect(),
        where.policy().statements().get(m.statementIndex()));
  }

  private static Map<Found, Integer> statementsOf(Scenario scenario, List<MatchedStatement> list) {
    Map<Found, Integer> counts = new HashMap<>();
    list.forEach(m -> counts.merge(found(scenario, m), 1, Integer::sum));
    return counts;
  }

  private static Map<Map.Entry<Found, List<ConditionFailure>>, Integer> nearMissesOf(
      Scenario scenario, CheckResult result) {
    Map<Map.Entry<Found, List<ConditionFailure>>, Integer> counts = new HashMap<>();
    result
        .nearMisses()
        .forEach(
            n ->
                counts.merge(
                    Map.entry(found(scenario, n.statement()), n.failedConditions()),
                    1,
                    Integer::sum));
    return counts;
  }

  /**
   * The statement index names a statement of the named policy, in the layer and level where that
   * policy is, with the effect, Sid, source type and version reported.
   */
  private static void assertPointsAtItsStatement(
      Scenario scenario, MatchedStatement m, CheckResult result) {
    Optional<Located> where = scenario.locate(m.sourcePolicyId());
    check(where.isPresent(), "unknown policy in " + m, result);
    Located located = where.get();
    check(located.layer() == m.layer(), "wrong layer in " + m, result);
    check(located.level() == m.level(), "wrong level in " + m, result);
    check(located.policy().type() == m.sourcePolicyType(), "wrong source type in " + m, result);
    check(located.policy().versionId().equals(m.versionId()), "wrong version in " + m, result);
    List<StatementSpec> statements = located.policy().statements();
    check(
        m.statementIndex() >= 0 && m.statementIndex() < statements.size(),
        "statement index out of range in " + m,
        result);
    StatementSpec s = statements.get(m.statementIndex());
    check(s.effect() == m.effect(), "wrong effect in " + m, result);
    check(
        s.sid().equals(m.sid()), "wrong Sid in " + m + " (statement has " + s.sid() + ")", result);
    // The statement it carries is the one it points at, as parsed.
    Statement source = m.source();
    check(source.index() == m.statementIndex(), "wrong statement carried in " + m, result);
    check(source.sid().equals(s.sid()), "carried statement's Sid differs in " + m, result);
    check(source.effect() == s.effect(), "carried statement's effect differs in " + m, result);
    check(
        source.action().patterns().equals(s.actions())
            && source.resource().patterns().equals(s.resources())
            && source.conditions().size() == s.conditions().size(),
        "carried statement differs in " + m,
        result);
  }

  private static void assertNoneWithEffect(
      List<MatchedStatement> matched, Effect effect, CheckResult result) {
    check(
        matched.stream().noneMatch(m -> m.effect() == effect),
        result.decision() + " lists a matched " + effect.text() + " statement",
        result);
  }

  private static void check(boolean condition, String message, CheckResult result) {
    if (!condition) {
      throw new AssertionError(message + "\nresult: " + result);
    }
  }
}
