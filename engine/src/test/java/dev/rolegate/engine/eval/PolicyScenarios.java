package dev.rolegate.engine.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.request.AuthorizationRequest;
import dev.rolegate.engine.request.Principal;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random but valid inputs for the authorizer's property tests: policy documents written as JSON
 * text from a small vocabulary (so that actions, resources and condition keys meet often), the
 * layers that hold them, and requests with random context. Everything is a plain value that can be
 * edited (a statement added, statements and policies reordered) and evaluated again.
 */
final class PolicyScenarios {
  private PolicyScenarios() {}

  static final String USER = "arn:aws:iam::111122223333:user/alice";
  static final String ROLE_SESSION = "arn:aws:sts::111122223333:assumed-role/Deployer/s1";

  static final String INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
  static final String OTHER_INSTANCE =
      "arn:aws:ec2:us-west-2:111122223333:instance/i-0fedcba9876543210";
  static final String XYZ_ROLE = "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web";
  static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/Admin";

  static final List<String> REQUEST_ACTIONS =
      List.of(
          "ec2:AssociateIamInstanceProfile",
          "ec2:DisassociateIamInstanceProfile",
          "ec2:ReplaceIamInstanceProfileAssociation",
          "iam:PassRole",
          "iam:GetRole");

  static final List<String> ACTION_PATTERNS =
      Stream.concat(
              REQUEST_ACTIONS.stream(),
              Stream.of(
                  "ec2:*",
                  "iam:*",
                  "*",
                  "ec2:*IamInstanceProfile",
                  "ec2:?ssociate*",
                  "EC2:associateiaminstanceprofile"))
          .toList();

  static final List<String> REQUEST_RESOURCES =
      List.of(INSTANCE, OTHER_INSTANCE, XYZ_ROLE, ADMIN_ROLE);

  static final List<String> RESOURCE_PATTERNS =
      List.of(
          "*",
          "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*",
          "arn:aws:iam::111122223333:role/*",
          "arn:aws:ec2:*:111122223333:instance/*",
          INSTANCE,
          XYZ_ROLE,
          ADMIN_ROLE);

  static final List<ConditionSpec> CONDITIONS =
      List.of(
          new ConditionSpec("StringEquals", "iam:PassedToService", List.of("ec2.amazonaws.com")),
          new ConditionSpec("StringNotEquals", "iam:PassedToService", List.of("ec2.amazonaws.com")),
          new ConditionSpec("StringLike", "aws:PrincipalTag/team", List.of("platform*")),
          new ConditionSpec("Bool", "aws:MultiFactorAuthPresent", List.of("true")),
          new ConditionSpec("IpAddress", "aws:SourceIp", List.of("10.0.0.0/8")),
          new ConditionSpec("NotIpAddress", "aws:SourceIp", List.of("10.0.0.0/8")),
          new ConditionSpec("Null", "aws:PrincipalTag/team", List.of("true")),
          new ConditionSpec("Null", "iam:PassedToService", List.of("false")),
          new ConditionSpec("ForAllValues:StringEquals", "aws:TagKeys", List.of("team", "env")),
          new ConditionSpec("ForAnyValue:StringEquals", "aws:TagKeys", List.of("env")),
          new ConditionSpec(
              "ArnLike",
              "iam:AssociatedResourceArn",
              List.of("arn:aws:ec2:us-east-1:111122223333:instance/*")));

  private static final ObjectMapper JSON = new ObjectMapper();

  // ---------------------------------------------------------------------------------------------
  // The model: plain values rendered to policy JSON.

  /** One key of one operator in a Condition block. */
  record ConditionSpec(String operator, String key, List<String> values) {}

  /** A statement as it will be written in JSON. */
  record StatementSpec(
      Optional<String> sid,
      Effect effect,
      boolean notAction,
      List<String> actions,
      boolean notResource,
      List<String> resources,
      List<ConditionSpec> conditions) {

    /** {@code Action: "*"}, {@code Resource: "*"}, no condition. */
    static StatementSpec everything(Effect effect) {
      return new StatementSpec(
          Optional.empty(), effect, false, List.of("*"), false, List.of("*"), List.of());
    }

    StatementSpec withSid(Optional<String> newSid) {
      return new StatementSpec(
          newSid, effect, notAction, actions, notResource, resources, conditions);
    }

    Map<String, Object> toJsonTree() {
      Map<String, Object> m = new LinkedHashMap<>();
      sid.ifPresent(s -> m.put("Sid", s));
      m.put("Effect", effect.text());
      m.put(notAction ? "NotAction" : "Action", oneOrMany(actions));
      m.put(notResource ? "NotResource" : "Resource", oneOrMany(resources));
      if (!conditions.isEmpty()) {
        Map<String, Map<String, Object>> block = new LinkedHashMap<>();
        for (ConditionSpec c : conditions) {
          block
              .computeIfAbsent(c.operator(), k -> new LinkedHashMap<>())
              .put(c.key(), oneOrMany(c.values()));
        }
        m.put("Condition", block);
      }
      return m;
    }

    private static Object oneOrMany(List<String> values) {
      return values.size() == 1 ? values.get(0) : values;
    }
  }

  /** A policy: its id (unique in a scenario), source type, the kind it is parsed as. */
  record PolicySpec(
      String id, PolicySourceType type, PolicyKind kind, List<StatementSpec> statements) {

    String json() {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("Version", "2012-10-17");
      doc.put("Statement", statements.stream().map(StatementSpec::toJsonTree).toList());
      try {
        return JSON.writeValueAsString(doc);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Parses the JSON; a generated policy that does not parse is a bug in the generator. */
    SourcedPolicy parse() {
      String json = json();
      return switch (PolicyParser.parse(json, kind)) {
        case ParseResult.Parsed p -> {
          if (p.document().statements().size() != statements.size()) {
            throw new AssertionError("generated policy " + id + " lost statements: " + json);
          }
          yield new SourcedPolicy(id, type, versionId(), p.document());
        }
        case ParseResult.Invalid i ->
            throw new AssertionError(
                "generated policy " + id + " does not parse: " + i.problems() + "\n" + json);
      };
    }

    Optional<String> versionId() {
      return type == PolicySourceType.USER_MANAGED || type == PolicySourceType.AWS_MANAGED
          ? Optional.of("v1")
          : Optional.empty();
    }

    PolicySpec withStatementAt(int position, StatementSpec statement) {
      List<StatementSpec> s = new ArrayList<>(statements);
      s.add(position, statement);
      return new PolicySpec(id, type, kind, s);
    }

    PolicySpec shuffled(Random random) {
      return new PolicySpec(id, type, kind, shuffle(statements, random));
    }

    @Override
    public String toString() {
      return id + " (" + type.wireName() + "): " + json();
    }
  }

  /** Where a policy sits: its layer and SCP level (0 outside SCPs). */
  record Located(PolicySpec policy, Layer layer, int level) {}

  /** The request of a scenario. */
  record RequestSpec(
      String principal, String action, String resource, Map<String, List<String>> context) {
    AuthorizationRequest toRequest() {
      Principal p = Principal.parse(principal).orElseThrow();
      return AuthorizationRequest.of(p, action, resource, context);
    }

    boolean isRoleSession() {
      return principal.equals(ROLE_SESSION);
    }
  }

  /** Where to add a statement. */
  sealed interface Placement {
    /** Into an existing policy, before the statement now at {@code position}. */
    record IntoPolicy(String policyId, int position) implements Placement {}

    /** As a new policy of its own among the identity policies. */
    record NewIdentityPolicy() implements Placement {}

    /** As a new policy of its own in an existing SCP level. */
    record NewScpPolicy(int level) implements Placement {}
  }

  /** A request and every policy that governs its principal. */
  record Scenario(
      RequestSpec request,
      List<PolicySpec> identity,
      Optional<PolicySpec> boundary,
      List<List<PolicySpec>> scpLevels,
      Optional<PolicySpec> session) {

    CheckResult decide() {
      return Authorizer.authorize(request.toRequest(), policies());
    }

    PrincipalPolicies policies() {
      return PrincipalPolicies.of(
          identity.stream().map(PolicySpec::parse).toList(),
          boundary.map(PolicySpec::parse),
          scpLevels.stream().map(l -> l.stream().map(PolicySpec::parse).toList()).toList(),
          session.map(PolicySpec::parse));
    }

    /** Every policy with its layer, in layer order. */
    List<Located> located() {
      List<Located> out = new ArrayList<>();
      identity.forEach(p -> out.add(new Located(p, Layer.IDENTITY, 0)));
      boundary.ifPresent(p -> out.add(new Located(p, Layer.PERMISSIONS_BOUNDARY, 0)));
      for (int level = 0; level < scpLevels.size(); level++) {
        for (PolicySpec p : scpLevels.get(level)) {
          out.add(new Located(p, Layer.SERVICE_CONTROL, level));
        }
      }
      session.ifPresent(p -> out.add(new Located(p, Layer.SESSION, 0)));
      return out;
    }

    List<PolicySpec> allPolicies() {
      return located().stream().map(Located::policy).toList();
    }

    Optional<Located> locate(String policyId) {
      return located().stream().filter(l -> l.policy().id().equals(policyId)).findFirst();
    }

    /** The layers the request has, in the order the result reports them. */
    List<LayerAndLevel> presentLayers() {
      List<LayerAndLevel> out = new ArrayList<>();
      out.add(new LayerAndLevel(Layer.IDENTITY, 0));
      boundary.ifPresent(b -> out.add(new LayerAndLevel(Layer.PERMISSIONS_BOUNDARY, 0)));
      for (int level = 0; level < scpLevels.size(); level++) {
        out.add(new LayerAndLevel(Layer.SERVICE_CONTROL, level));
      }
      session.ifPresent(s -> out.add(new LayerAndLevel(Layer.SESSION, 0)));
      return out;
    }

    Scenario withStatement(Placement placement, StatementSpec statement) {
      return switch (placement) {
        case Placement.IntoPolicy into ->
            mapPolicies(
                p ->
                    p.id().equals(into.policyId())
                        ? p.withStatementAt(into.position(), statement)
                        : p);
        case Placement.NewIdentityPolicy n -> {
          List<PolicySpec> more = new ArrayList<>(identity);
          more.add(
              new PolicySpec(
                  "identity-added",
                  PolicySourceType.USER_MANAGED,
                  PolicyKind.IDENTITY,
                  List.of(statement)));
          yield new Scenario(request, more, boundary, scpLevels, session);
        }
        case Placement.NewScpPolicy n -> {
          List<List<PolicySpec>> levels = new ArrayList<>(scpLevels);
          List<PolicySpec> level = new ArrayList<>(levels.get(n.level()));
          level.add(
              new PolicySpec(
                  "scp-" + n.level() + "-added",
                  PolicySourceType.SERVICE_CONTROL,
                  PolicyKind.SERVICE_CONTROL,
                  List.of(statement)));
          levels.set(n.level(), level);
          yield new Scenario(request, identity, boundary, levels, session);
        }
      };
    }

    /**
     * The same scenario with the statements of every policy, the identity policies and the policies
     * of each SCP level (not the levels themselves) in a random order.
     */
    Scenario shuffled(Random random) {
      return new Scenario(
          request,
          shuffle(identity.stream().map(p -> p.shuffled(random)).toList(), random),
          boundary.map(p -> p.shuffled(random)),
          scpLevels.stream()
              .map(l -> shuffle(l.stream().map(p -> p.shuffled(random)).toList(), random))
              .toList(),
          session.map(p -> p.shuffled(random)));
    }

    private Scenario mapPolicies(UnaryOperator<PolicySpec> f) {
      return new Scenario(
          request,
          identity.stream().map(f).toList(),
          boundary.map(f),
          scpLevels.stream().map(l -> l.stream().map(f).toList()).toList(),
          session.map(f));
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      b.append("\n  principal ").append(request.principal());
      b.append("\n  action    ").append(request.action());
      b.append("\n  resource  ").append(request.resource());
      b.append("\n  context   ").append(request.context());
      for (Located l : located()) {
        b.append("\n  ").append(l.layer().wireName());
        if (l.layer() == Layer.SERVICE_CONTROL) {
          b.append('[').append(l.level()).append(']');
        }
        b.append(' ').append(l.policy());
      }
      return b.append('\n').toString();
    }
  }

  /** A layer as the result reports it. */
  record LayerAndLevel(Layer layer, int level) {}

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return List.copyOf(copy);
  }

  // ---------------------------------------------------------------------------------------------
  // Arbitraries.

  /** A request and its layers: 1-4 identity policies, maybe a boundary, SCPs and a session. */
  static Arbitrary<Scenario> scenarios() {
    Arbitrary<List<List<StatementSpec>>> identity =
        statementLists(identityStatements(), 4).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<Optional<List<StatementSpec>>> boundary =
        statementLists(guardStatements(), 3).optional(0.5);
    Arbitrary<List<List<List<StatementSpec>>>> scpLevels =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(List.<List<List<StatementSpec>>>of())),
            Tuple.of(
                3,
                statementLists(guardStatements(), 3)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(2)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(2)));
    Arbitrary<Optional<List<StatementSpec>>> session =
        statementLists(guardStatements(), 3).optional(0.5);
    return Combinators.combine(requests(), identity, boundary, scpLevels, session)
        .as(PolicyScenarios::assemble);
  }

  static Arbitrary<RequestSpec> requests() {
    return Combinators.combine(
            Arbitraries.of(USER, ROLE_SESSION),
            Arbitraries.of(REQUEST_ACTIONS),
            Arbitraries.of(REQUEST_RESOURCES),
            contexts())
        .as(RequestSpec::new);
  }

  /** Each context key is present or absent; aws:TagKeys is multivalued (and may be empty). */
  static Arbitrary<Map<String, List<String>>> contexts() {
    List<Arbitrary<Optional<Map.Entry<String, List<String>>>>> keys =
        List.of(
            contextKey("aws:SourceIp", List.of(List.of("10.1.2.3"), List.of("203.0.113.7"))),
            contextKey("aws:MultiFactorAuthPresent", List.of(List.of("true"), List.of("false"))),
            contextKey(
                "aws:PrincipalTag/team",
                List.of(List.of("platform"), List.of("platform-ops"), List.of("data"))),
            contextKey(
                "aws:TagKeys",
                List.of(
                    List.of(), List.of("team"), List.of("team", "env"), List.of("env", "owner"))),
            contextKey(
                "iam:PassedToService",
                List.of(List.of("ec2.amazonaws.com"), List.of("lambda.amazonaws.com"))),
            contextKey(
                "iam:AssociatedResourceArn", List.of(List.of(INSTANCE), List.of(OTHER_INSTANCE))));
    return Combinators.combine(keys)
        .as(
            entries -> {
              Map<String, List<String>> m = new LinkedHashMap<>();
              entries.forEach(e -> e.ifPresent(kv -> m.put(kv.getKey(), kv.getValue())));
              return m;
            });
  }

  private static Arbitrary<Optional<Map.Entry<String, List<String>>>> contextKey(
      String key, List<List<String>> values) {
    return Arbitraries.of(values).map(v -> Map.entry(key, v)).optional(0.6);
  }

  /** Statements of identity policies: mostly Allow. */
  static Arbitrary<StatementSpec> identityStatements() {
    return statements(3, 1);
  }

  /**
   * Statements of the layers that only cap (boundary, SCPs, session): mostly Allow, and often
   * allowing everything, as real ones do, so that requests get through them now and then.
   */
  static Arbitrary<StatementSpec> guardStatements() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(StatementSpec.everything(Effect.ALLOW))),
        Tuple.of(5, statements(4, 1)));
  }

  static Arbitrary<StatementSpec> allowStatements() {
    return statements(1, 0);
  }

  static Arbitrary<StatementSpec> denyStatements() {
    return statements(0, 1);
  }

  /** Any statement from the vocabulary, with the given weights of Allow and Deny. */
  static Arbitrary<StatementSpec> statements(int allowWeight, int denyWeight) {
    Arbitrary<Effect> effects =
        Arbitraries.frequency(
            Tuple.of(allowWeight, Effect.ALLOW), Tuple.of(denyWeight, Effect.DENY));
    Arbitrary<Boolean> rarely = Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true));
    Arbitrary<List<String>> actions =
        Arbitraries.of(ACTION_PATTERNS).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    Arbitrary<List<String>> resources =
        Arbitraries.of(RESOURCE_PATTERNS).list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    Arbitrary<List<ConditionSpec>> conditions =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just(List.<ConditionSpec>of())),
            Tuple.of(
                3,
                Arbitraries.of(CONDITIONS)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(2)
                    // Each operator and key appears once in a Condition block.
                    .uniqueElements(c -> c.operator() + " " + c.key())));
    Arbitrary<Optional<String>> sids = Arbitraries.just("Sid").optional(0.5);
    return Combinators.combine(sids, effects, rarely, actions, rarely, resources, conditions)
        .as(StatementSpec::new);
  }

  /** The statements of one policy: 1 to max. */
  private static Arbitrary<List<StatementSpec>> statementLists(
      Arbitrary<StatementSpec> statements, int max) {
    return statements.list().ofMinSize(1).ofMaxSize(max);
  }

  /** Names the policies and numbers the Sids (S0, S1, ...) so that they are unique. */
  private static Scenario assemble(
      RequestSpec request,
      List<List<StatementSpec>> identity,
      Optional<List<StatementSpec>> boundary,
      List<List<List<StatementSpec>>> scpLevels,
      Optional<List<StatementSpec>> session) {
    List<PolicySpec> identityPolicies = new ArrayList<>();
    for (int i = 0; i < identity.size(); i++) {
      identityPolicies.add(
          new PolicySpec(
              "identity-" + i,
              identityType(request, i),
              PolicyKind.IDENTITY,
              named(identity.get(i))));
    }
    List<List<PolicySpec>> levels = new ArrayList<>();
    for (int level = 0; level < scpLevels.size(); level++) {
      List<PolicySpec> policies = new ArrayList<>();
      for (int i = 0; i < scpLevels.get(level).size(); i++) {
        policies.add(
            new PolicySpec(
                "scp-" + level + "-" + i,
                PolicySourceType.SERVICE_CONTROL,
                PolicyKind.SERVICE_CONTROL,
                named(scpLevels.get(level).get(i))));
      }
      levels.add(List.copyOf(policies));
    }
    return new Scenario(
        request,
        List.copyOf(identityPolicies),
        boundary.map(
            s ->
                new PolicySpec(
                    "boundary",
                    PolicySourceType.USER_MANAGED,
                    PolicyKind.PERMISSIONS_BOUNDARY,
                    named(s))),
        List.copyOf(levels),
        // Only a role session has a session policy.
        session
            .filter(s -> request.isRoleSession())
            .map(
                s ->
                    new PolicySpec(
                        "session", PolicySourceType.SESSION, PolicyKind.SESSION, named(s))));
  }

  /** Inline policies of the principal, its groups', and managed ones, in turn. */
  private static PolicySourceType identityType(RequestSpec request, int i) {
    PolicySourceType inline =
        request.isRoleSession() ? PolicySourceType.ROLE : PolicySourceType.USER;
    PolicySourceType group =
        request.isRoleSession() ? PolicySourceType.ROLE : PolicySourceType.GROUP;
    return List.of(inline, PolicySourceType.USER_MANAGED, group, PolicySourceType.AWS_MANAGED)
        .get(i % 4);
  }

  private static List<StatementSpec> named(List<StatementSpec> statements) {
    List<StatementSpec> out = new ArrayList<>(statements.size());
    for (int i = 0; i < statements.size(); i++) {
      StatementSpec s = statements.get(i);
      out.add(s.sid().isPresent() ? s.withSid(Optional.of("S" + i)) : s);
    }
    return List.copyOf(out);
  }

  /**
   * Where a statement can go: into any policy of the scenario ({@code anyLayer}) or only into the
   * identity policies, at any position; or as a new identity policy or (with {@code anyLayer}) a
   * new policy in an existing SCP level.
   */
  static Arbitrary<Placement> placements(Scenario scenario, boolean anyLayer) {
    List<PolicySpec> targets = anyLayer ? scenario.allPolicies() : scenario.identity();
    List<Tuple.Tuple2<Integer, Arbitrary<Placement>>> options = new ArrayList<>();
    options.add(
        Tuple.of(
            4,
            Arbitraries.of(targets)
                .flatMap(
                    p ->
                        Arbitraries.integers()
                            .between(0, p.statements().size())
                            .map(i -> new Placement.IntoPolicy(p.id(), i)))));
    options.add(Tuple.of(1, Arbitraries.just(new Placement.NewIdentityPolicy())));
    if (anyLayer && !scenario.scpLevels().isEmpty()) {
      options.add(
          Tuple.of(
              1,
              Arbitraries.integers()
                  .between(0, scenario.scpLevels().size() - 1)
                  .map(Placement.NewScpPolicy::new)));
    }
    return Arbitraries.frequencyOf(options);
  }
}
