package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.operation.RoleFacts;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.persistence.store.PrincipalState;
import dev.rolegate.persistence.store.RoleState;
import dev.rolegate.persistence.store.StoredPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns what the store holds into the engine's compiled inputs. */
final class Compiler {
  private Compiler() {}

  static ResolvedPrincipal principal(String arn, Optional<PrincipalState> state, long revision) {
    List<StoreFinding> findings = new ArrayList<>();
    if (state.isEmpty()) {
      findings.add(
          new StoreFinding(
              "principal_unknown",
              "`" + arn + "` is not in the store: it was decided as a principal with no policies"));
      return new ResolvedPrincipal(
          false, PrincipalPolicies.identityOnly(List.of()), findings, revision);
    }
    PrincipalState s = state.get();
    List<SourcedPolicy> identity = new ArrayList<>();
    for (StoredPolicy p : s.identity()) {
      compile(p, PolicyKind.IDENTITY, findings).ifPresent(identity::add);
    }
    Optional<SourcedPolicy> boundary =
        s.boundary().flatMap(b -> compile(b, PolicyKind.PERMISSIONS_BOUNDARY, findings));
    if (s.unknownBoundaryArn().isPresent()) {
      // Fail closed: a boundary whose document is missing allows nothing, never everything.
      String boundaryArn = s.unknownBoundaryArn().get();
      boundary =
          Optional.of(
              new SourcedPolicy(
                  boundaryArn,
                  boundaryArn.startsWith("arn:aws:iam::aws:")
                      ? PolicySourceType.AWS_MANAGED
                      : PolicySourceType.USER_MANAGED,
                  Optional.empty(),
                  new PolicyDocument(PolicyLanguage.V2012_10_17, Optional.empty(), List.of())));
      findings.add(
          new StoreFinding(
              "policy_unknown",
              "the permissions boundary `"
                  + boundaryArn
                  + "` was never imported; it is taken to allow nothing until it is"));
    }
    for (String unknown : s.unknownPolicyArns()) {
      findings.add(
          new StoreFinding(
              "policy_unknown",
              "managed policy `"
                  + unknown
                  + "` is attached but its document was never imported; the decision does not"
                  + " include it"));
    }
    List<List<SourcedPolicy>> levels = new ArrayList<>();
    for (List<StoredPolicy> level : s.serviceControlLevels()) {
      List<SourcedPolicy> compiled = new ArrayList<>();
      level.forEach(p -> compile(p, PolicyKind.SERVICE_CONTROL, findings).ifPresent(compiled::add));
      levels.add(compiled);
    }
    return new ResolvedPrincipal(
        true,
        PrincipalPolicies.of(identity, boundary, levels, Optional.empty()),
        findings,
        revision);
  }

  static Optional<RoleFacts> role(Optional<RoleState> state) {
    return state.map(
        r -> {
          Optional<PolicyDocument> trust =
              PolicyParser.parse(r.trustPolicy(), PolicyKind.TRUST) instanceof ParseResult.Parsed p
                  ? Optional.of(p.document())
                  : Optional.empty();
          return new RoleFacts(r.arn(), trust, r.instanceProfileArns(), r.tags());
        });
  }

  /** Stored documents were valid when written; one that no longer parses is reported, not used. */
  private static Optional<SourcedPolicy> compile(
      StoredPolicy p, PolicyKind kind, List<StoreFinding> findings) {
    return switch (PolicyParser.parse(p.document(), kind)) {
      case ParseResult.Parsed ok ->
          Optional.of(new SourcedPolicy(p.id(), type(p.source()), p.versionId(), ok.document()));
      case ParseResult.Invalid bad -> {
        findings.add(
            new StoreFinding(
                "policy_invalid",
                "stored policy `"
                    + p.id()
                    + "` is not valid and was skipped: "
                    + bad.problems().get(0)));
        yield Optional.empty();
      }
    };
  }

  private static PolicySourceType type(StoredPolicy.Source source) {
    return switch (source) {
      case USER_INLINE -> PolicySourceType.USER;
      case GROUP_INLINE -> PolicySourceType.GROUP;
      case ROLE_INLINE -> PolicySourceType.ROLE;
      case AWS_MANAGED -> PolicySourceType.AWS_MANAGED;
      case CUSTOMER_MANAGED -> PolicySourceType.USER_MANAGED;
      case SERVICE_CONTROL -> PolicySourceType.SERVICE_CONTROL;
    };
  }
}
