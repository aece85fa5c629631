package dev.rolegate.engine.bench;

import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.operation.InstanceProfileOperation;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.request.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one instance-profile decision costs: {@link InstanceProfileAuthorizer#authorize} for an
 * associate request (both checks, the findings, the explanation) against policies compiled once in
 * the setup, for (a) the classic policy of 2 statements, (b) 20 generated policies of 10 statements
 * and (c) 200 of them; what compiling the (b) set costs (a snapshot rebuild), with and without
 * parsing its JSON; and a baseline in the same run: building the request itself (parsing the
 * principal ARN, validating the instance and role ARNs).
 *
 * <p>Not a test: run it with {@code bench/run-engine-bench.sh}. Every benchmark returns its result,
 * which JMH consumes, so nothing is optimised away.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstanceProfileAuthorizerBenchmark {

  /** The request and the three compiled policy sets, built once per fork. */
  @State(Scope.Benchmark)
  public static class Fixture {
    String user;
    String instanceArn;
    Optional<String> roleArn;
    Map<String, List<String>> context;
    InstanceProfileRequest request;

    PrincipalPolicies classic;
    PrincipalPolicies twenty;
    PrincipalPolicies twoHundred;
    PrincipalPolicies atScale;

    List<String> twentyJson;
    List<SourcedPolicy> twentyParsed;

    @Setup(Level.Trial)
    public void setUp() {
      user = BenchPolicies.USER;
      instanceArn = BenchPolicies.INSTANCE;
      roleArn = Optional.of(BenchPolicies.ROLE);
      context = BenchPolicies.CONTEXT;
      request = buildRequest(user, instanceArn, roleArn, context);

      classic = PrincipalPolicies.identityOnly(BenchPolicies.parse(BenchPolicies.classicJson()));
      twentyJson = BenchPolicies.generatedJson(20);
      twentyParsed = BenchPolicies.parse(twentyJson);
      twenty = PrincipalPolicies.identityOnly(twentyParsed);
      twoHundred =
          PrincipalPolicies.identityOnly(BenchPolicies.parse(BenchPolicies.generatedJson(200)));

      atScale =
          PrincipalPolicies.of(
              BenchPolicies.parse(BenchPolicies.generatedJson(100)),
              Optional.of(
                  BenchPolicies.layer(
                      BenchPolicies.boundaryJson(), PolicyKind.PERMISSIONS_BOUNDARY)),
              List.of(
                  List.of(
                      BenchPolicies.layer(
                          BenchPolicies.fullAccessJson(), PolicyKind.SERVICE_CONTROL)),
                  List.of(
                      BenchPolicies.layer(
                          BenchPolicies.organizationUnitJson(), PolicyKind.SERVICE_CONTROL))),
              Optional.empty());

      expect(classic, 2, "(a) classic");
      expect(twenty, 200, "(b) 20 x 10");
      expect(twoHundred, 2000, "(c) 200 x 10");
      expect(atScale, 1000, "(d) a principal at scale");
    }

    private void expect(PrincipalPolicies policies, int statements, String name) {
      if (policies.identityStatements() != statements) {
        throw new IllegalStateException(
            name + ": " + policies.identityStatements() + " statements, expected " + statements);
      }
      InstanceProfileDecision d = InstanceProfileAuthorizer.authorize(request, policies);
      if (!d.allowed() || d.checks().size() != 2) {
        throw new IllegalStateException(
            name + ": the associate request must be allowed by both checks: " + d);
      }
    }
  }

  static InstanceProfileRequest buildRequest(
      String user, String instanceArn, Optional<String> roleArn, Map<String, List<String>> ctx) {
    Principal principal = Principal.parse(user).orElseThrow();
    return new InstanceProfileRequest(
        principal, InstanceProfileOperation.ASSOCIATE, instanceArn, roleArn, ctx, Optional.empty());
  }

  /** Baseline: build the request (principal ARN parsed, instance and role ARNs validated). */
  @Benchmark
  public InstanceProfileRequest baselineBuildRequest(Fixture f) {
    return buildRequest(f.user, f.instanceArn, f.roleArn, f.context);
  }

  /** (a) The classic policy: 1 policy of 2 statements. */
  @Benchmark
  public InstanceProfileDecision decideA1x2(Fixture f) {
    return InstanceProfileAuthorizer.authorize(f.request, f.classic);
  }

  /** (b) 20 policies of 10 statements. */
  @Benchmark
  public InstanceProfileDecision decideB20x10(Fixture f) {
    return InstanceProfileAuthorizer.authorize(f.request, f.twenty);
  }

  /** (c) 200 policies of 10 statements. */
  @Benchmark
  public InstanceProfileDecision decideC200x10(Fixture f) {
    return InstanceProfileAuthorizer.authorize(f.request, f.twoHundred);
  }

  /** Compiling and indexing the (b) set from parsed documents: a snapshot rebuild. */
  /**
   * (d) A principal of a large account: 100 policies of 10 statements (its own and its groups'), a
   * permissions boundary and two SCP levels, every layer consulted.
   */
  @Benchmark
  public InstanceProfileDecision decideD1000WithLayers(Fixture f) {
    return InstanceProfileAuthorizer.authorize(f.request, f.atScale);
  }

  @Benchmark
  public PrincipalPolicies compileB20x10(Fixture f) {
    return PrincipalPolicies.identityOnly(f.twentyParsed);
  }

  /** Parsing the JSON of the (b) set, then compiling it: a rebuild from stored policy text. */
  @Benchmark
  public PrincipalPolicies parseAndCompileB20x10(Fixture f) {
    return PrincipalPolicies.identityOnly(BenchPolicies.parse(f.twentyJson));
  }
}
