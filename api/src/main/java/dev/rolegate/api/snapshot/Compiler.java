package dev.rolegate.api.snapshot;

import dev.rolegate.engine.eval.Layer;
import dev.rolegate.engine.eval.PolicySet;
import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.eval.SharedParts;
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
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what the store holds into the engine's compiled inputs. Each stored policy becomes its own
 * compiled set ({@link Compiled}), so that one compiled managed policy can serve every principal it
 * is attached to (see {@link AccountBuild}); a principal read on its own is assembled the same way.
 */
final class Compiler {
  private Compiler() {}

  /**
   * One stored policy (its id: for a managed policy the ARN) compiled for the layer it governs, or,
   * when its text no longer parses, the finding that says it was skipped.
   */
  record Compiled(
      String id,
      StoredPolicy.Source source,
      Optional<PolicySet> set,
      Optional<StoreFinding> finding) {
    boolean managed() {
      return source == StoredPolicy.Source.AWS_MANAGED
          || source == StoredPolicy.Source.CUSTOMER_MANAGED;
    }
  }

  /** The SCP levels of an account, each compiled as one set, and the SCPs that were skipped. */
  record Levels(List<PolicySet> sets, List<StoreFinding> findings) {}

  static Compiled compile(StoredPolicy p, Layer layer, SharedParts shared) {
    return compile(
        p.id(),
        p.source(),
        p.versionId(),
        PolicyParser.parseStored(p.document(), kind(layer)),
        layer,
        shared);
  }

  /** Stored documents were valid when written; one that no longer parses is reported, not used. */
  static Compiled compile(
      String id,
      StoredPolicy.Source source,
      Optional<String> versionId,
      ParseResult parsed,
      Layer layer,
      SharedParts shared) {
    return switch (parsed) {
      case ParseResult.Parsed ok ->
          new Compiled(
              id,
              source,
              Optional.of(
                  PolicySet.of(
                      List.of(new SourcedPolicy(id, type(source), versionId, ok.document())),
                      layer,
                      0,
                      shared)),
              Optional.empty());
      case ParseResult.Invalid bad ->
          new Compiled(id, source, Optional.empty(), Optional.of(invalid(id, bad)));
    };
  }

  static Levels levels(List<List<StoredPolicy>> stored, SharedParts shared) {
    List<PolicySet> sets = new ArrayList<>();
    List<StoreFinding> findings = new ArrayList<>();
    for (int level = 0; level < stored.size(); level++) {
      List<SourcedPolicy> valid = new ArrayList<>();
      for (StoredPolicy p : stored.get(level)) {
        switch (PolicyParser.parseStored(p.document(), PolicyKind.SERVICE_CONTROL)) {
          case ParseResult.Parsed ok ->
              valid.add(new SourcedPolicy(p.id(), type(p.source()), p.versionId(), ok.document()));
          case ParseResult.Invalid bad -> findings.add(invalid(p.id(), bad));
        }
      }
      sets.add(PolicySet.of(valid, Layer.SERVICE_CONTROL, level, shared));
    }
    return new Levels(List.copyOf(sets), List.copyOf(findings));
  }

  /** A principal the store does not hold: decided with no policies. */
  static ResolvedPrincipal unknown(String arn, long revision) {
    return new ResolvedPrincipal(
        false,
        PrincipalPolicies.identityOnly(List.of()),
        new ResolvedPrincipal.Sources(
            List.of(
                new StoreFinding(
                    "principal_unknown",
                    "`"
                        + arn
                        + "` is not in the store: it was decided as a principal with no policies")),
            List.of(),
            List.of(),
            0),
        revision);
  }

  /** A principal read on its own. */
  static ResolvedPrincipal principal(String arn, Optional<PrincipalState> state, long revision) {
    if (state.isEmpty()) {
      return unknown(arn, revision);
    }
    PrincipalState s = state.get();
    SharedParts shared = new SharedParts();
    return principal(
        s.identity().stream().map(p -> compile(p, Layer.IDENTITY, shared)).toList(),
        s.boundary().map(b -> compile(b, Layer.PERMISSIONS_BOUNDARY, shared)),
        s.unknownBoundaryArn(),
        s.unknownPolicyArns(),
        levels(s.serviceControlLevels(), shared),
        s.groups(),
        revision);
  }

  /**
   * A known principal from its compiled parts, which may be shared with other principals. Findings
   * come in a fixed order: skipped identity policies, the boundary, unknown policies, skipped SCPs.
   */
  static ResolvedPrincipal principal(
      List<Compiled> identity,
      Optional<Compiled> boundary,
      Optional<String> unknownBoundaryArn,
      Collection<String> unknownPolicyArns,
      Levels levels,
      Collection<String> groups,
      long revision) {
    List<StoreFinding> findings = new ArrayList<>();
    Set<String> managed = new LinkedHashSet<>(unknownPolicyArns);
    identity.stream().filter(Compiled::managed).forEach(c -> managed.add(c.id()));
    boundary.ifPresent(b -> managed.add(b.id()));
    unknownBoundaryArn.ifPresent(managed::add);
    List<PolicySet> identitySets = new ArrayList<>(identity.size());
    for (Compiled c : identity) {
      c.set().ifPresent(identitySets::add);
      c.finding().ifPresent(findings::add);
    }
    Optional<PolicySet> boundarySet = Optional.empty();
    if (boundary.isPresent()) {
      boundarySet = boundary.get().set();
      boundary.get().finding().ifPresent(findings::add);
    }
    if (unknownBoundaryArn.isPresent()) {
      // Fail closed: a boundary whose document is missing allows nothing, never everything.
      String arn = unknownBoundaryArn.get();
      boundarySet = Optional.of(allowsNothing(arn));
      findings.add(
          new StoreFinding(
              "policy_unknown",
              "the permissions boundary `"
                  + arn
                  + "` was never imported; it is taken to allow nothing until it is"));
    }
    for (String unknown : unknownPolicyArns) {
      findings.add(
          new StoreFinding(
              "policy_unknown",
              "managed policy `"
                  + unknown
                  + "` is attached but its document was never imported; the decision does not"
                  + " include it"));
    }
    findings.addAll(levels.findings());
    return new ResolvedPrincipal(
        true,
        PrincipalPolicies.compiled(identitySets, boundarySet, levels.sets()),
        new ResolvedPrincipal.Sources(
            findings, List.copyOf(groups), List.copyOf(managed), levels.findings().size()),
        revision);
  }

  /** A boundary with no statements: it allows nothing. */
  private static PolicySet allowsNothing(String arn) {
    return PolicySet.of(
        List.of(
            new SourcedPolicy(
                arn,
                arn.startsWith("arn:aws:iam::aws:")
                    ? PolicySourceType.AWS_MANAGED
                    : PolicySourceType.USER_MANAGED,
                Optional.empty(),
                new PolicyDocument(PolicyLanguage.V2012_10_17, Optional.empty(), List.of()))),
        Layer.PERMISSIONS_BOUNDARY,
        0);
  }

  static Optional<RoleFacts> role(Optional<RoleState> state) {
    return state.map(
        r ->
            role(
                r.arn(),
                PolicyParser.parseStored(r.trustPolicy(), PolicyKind.TRUST),
                r.instanceProfileArns(),
                r.tags()));
  }

  /** A role to pass; a trust policy that no longer parses counts as absent. */
  static RoleFacts role(
      String arn, ParseResult trust, List<String> instanceProfileArns, Map<String, String> tags) {
    Optional<PolicyDocument> document =
        trust instanceof ParseResult.Parsed p ? Optional.of(p.document()) : Optional.empty();
    return new RoleFacts(arn, document, instanceProfileArns, tags);
  }

  static PolicyKind kind(Layer layer) {
    return switch (layer) {
      case IDENTITY -> PolicyKind.IDENTITY;
      case PERMISSIONS_BOUNDARY -> PolicyKind.PERMISSIONS_BOUNDARY;
      case SERVICE_CONTROL -> PolicyKind.SERVICE_CONTROL;
      case SESSION -> PolicyKind.SESSION;
    };
  }

  private static StoreFinding invalid(String id, ParseResult.Invalid bad) {
    return new StoreFinding(
        "policy_invalid",
        "stored policy `" + id + "` is not valid and was skipped: " + bad.problems().get(0));
  }

  static PolicySourceType type(StoredPolicy.Source source) {
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
