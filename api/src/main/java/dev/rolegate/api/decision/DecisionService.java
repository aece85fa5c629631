package dev.rolegate.api.decision;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.json.DecisionJson;
import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.operation.RoleFacts;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.request.Principal;
import dev.rolegate.persistence.audit.DecisionLog;
import dev.rolegate.persistence.audit.DecisionRecord;
import dev.rolegate.persistence.store.DecisionInputs;
import dev.rolegate.persistence.store.DecisionInputsReader;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import dev.rolegate.persistence.store.PrincipalState;
import dev.rolegate.persistence.store.StoredPolicy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides one instance-profile request: reads the principal's policies and the role from the store
 * at one revision, asks the engine, records the decision in the log and returns the answer. The
 * answer is returned only once the record is stored, so no answered decision is missing from the
 * log.
 */
@Singleton
public class DecisionService {
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:[a-z-]+:iam::(\\d{12}):role(/(?:[!-~]*/)?)([\\w+=,.@-]+)");

  private final DecisionInputsReader reader;
  private final DecisionLog log;
  private final Clock clock;

  public DecisionService(DecisionInputsReader reader, DecisionLog log) {
    this.reader = reader;
    this.log = log;
    this.clock = Clock.systemUTC();
  }

  /** A decision as answered and as recorded. */
  public record Answer(ObjectNode json, InstanceProfileDecision decision, DecisionRecord record) {}

  public Answer decide(DecisionRequestBody body, String caller) {
    Principal principal = body.principal();
    PrincipalRef ref =
        switch (principal) {
          case Principal.IamUser u -> PrincipalRef.user(u.accountId(), u.path(), u.name());
          case Principal.RoleSession s -> PrincipalRef.roleSession(s.accountId(), s.roleName());
        };
    Optional<RoleRef> roleRef = body.roleArn().flatMap(DecisionService::roleRef);
    DecisionInputs inputs = reader.read(ref, roleRef);

    List<ObjectNode> storeFindings = new ArrayList<>();
    PrincipalPolicies policies = policies(inputs.principal(), principal, storeFindings);
    Optional<RoleFacts> role = inputs.role().map(DecisionService::roleFacts);
    if (body.roleArn().isPresent() && role.isEmpty()) {
      storeFindings.add(
          finding(
              "role_unknown",
              "role `"
                  + body.roleArn().get()
                  + "` is not in the store, so its trust policy and instance profiles were not"
                  + " checked"));
    }
    InstanceProfileRequest request =
        new InstanceProfileRequest(
            principal, body.operation(), body.instanceArn(), body.roleArn(), body.context(), role);
    InstanceProfileDecision decision = InstanceProfileAuthorizer.authorize(request, policies);

    Instant now = clock.instant();
    UUID id = DecisionIds.next(now);
    ObjectNode json = answer(id, inputs.revision(), decision, storeFindings);
    DecisionRecord record =
        new DecisionRecord(
            id,
            now,
            caller,
            principal.arn(),
            body.operation().wireName(),
            body.instanceArn(),
            body.roleArn().orElse(null),
            decision.decision().wireName(),
            decision.allowed(),
            inputs.revision(),
            body.raw(),
            json);
    log.append(List.of(record));
    return new Answer(json, decision, record);
  }

  static PrincipalPolicies policies(
      Optional<PrincipalState> state, Principal principal, List<ObjectNode> findings) {
    if (state.isEmpty()) {
      findings.add(
          finding(
              "principal_unknown",
              "`"
                  + principal.arn()
                  + "` is not in the store: it was decided as a principal with no policies"));
      return PrincipalPolicies.identityOnly(List.of());
    }
    List<SourcedPolicy> identity = new ArrayList<>();
    for (StoredPolicy p : state.get().identity()) {
      compile(p, PolicyKind.IDENTITY, findings).ifPresent(identity::add);
    }
    Optional<SourcedPolicy> boundary =
        state.get().boundary().flatMap(b -> compile(b, PolicyKind.PERMISSIONS_BOUNDARY, findings));
    for (String arn : state.get().unknownPolicyArns()) {
      findings.add(
          finding(
              "policy_unknown",
              "managed policy `"
                  + arn
                  + "` is attached but its document was never imported; the decision does not"
                  + " include it"));
    }
    List<List<SourcedPolicy>> levels = new ArrayList<>();
    for (List<StoredPolicy> level : state.get().serviceControlLevels()) {
      List<SourcedPolicy> compiled = new ArrayList<>();
      level.forEach(p -> compile(p, PolicyKind.SERVICE_CONTROL, findings).ifPresent(compiled::add));
      levels.add(compiled);
    }
    return PrincipalPolicies.of(identity, boundary, levels, Optional.empty());
  }

  /** Stored documents were valid when written; one that no longer parses is reported, not used. */
  private static Optional<SourcedPolicy> compile(
      StoredPolicy p, PolicyKind kind, List<ObjectNode> findings) {
    ParseResult parsed = PolicyParser.parse(p.document(), kind);
    return switch (parsed) {
      case ParseResult.Parsed ok ->
          Optional.of(new SourcedPolicy(p.id(), type(p.source()), p.versionId(), ok.document()));
      case ParseResult.Invalid bad -> {
        findings.add(
            finding(
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

  private static RoleFacts roleFacts(dev.rolegate.persistence.store.RoleState r) {
    Optional<PolicyDocument> trust =
        PolicyParser.parse(r.trustPolicy(), PolicyKind.TRUST) instanceof ParseResult.Parsed p
            ? Optional.of(p.document())
            : Optional.empty();
    return new RoleFacts(r.arn(), trust, r.instanceProfileArns(), r.tags());
  }

  static Optional<RoleRef> roleRef(String arn) {
    Matcher m = ROLE_ARN.matcher(arn);
    return m.matches()
        ? Optional.of(new RoleRef(m.group(1), m.group(2), m.group(3)))
        : Optional.empty();
  }

  /** design.md's answer: the id and revision first, then the engine's decision and reasoning. */
  private static ObjectNode answer(
      UUID id, long revision, InstanceProfileDecision d, List<ObjectNode> storeFindings) {
    ObjectNode engine = DecisionJson.decision(d);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("decisionId", id.toString());
    out.set("allowed", engine.get("allowed"));
    out.set("decision", engine.get("decision"));
    out.put("revision", revision);
    engine
        .fields()
        .forEachRemaining(
            e -> {
              if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
              }
            });
    ArrayNode findings = (ArrayNode) out.get("findings");
    storeFindings.forEach(findings::add);
    return out;
  }

  private static ObjectNode finding(String code, String message) {
    return JsonNodeFactory.instance.objectNode().put("code", code).put("message", message);
  }
}
