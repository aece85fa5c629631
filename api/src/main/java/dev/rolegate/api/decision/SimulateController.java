package dev.rolegate.api.decision;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.json.DecisionJson;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.problem.StrictJson.Fields;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.api.snapshot.ResolvedPrincipal;
import dev.rolegate.engine.eval.Authorizer;
import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.request.Arn;
import dev.rolegate.engine.request.AuthorizationRequest;
import dev.rolegate.engine.request.Principal;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/simulate}: every action on every resource for a stored principal, like IAM's
 * SimulatePrincipalPolicy. A what-if tool: its answers are not decisions and are not logged.
 */
@Controller("/v1/simulate")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SimulateController {
  static final int MAX_ACTIONS = 100;
  static final int MAX_RESOURCES = 100;
  private static final Set<String> FIELDS =
      Set.of("principal", "actionNames", "resourceArns", "context");
  private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

  private final PolicySnapshots snapshots;

  public SimulateController(PolicySnapshots snapshots) {
    this.snapshots = snapshots;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  public ObjectNode simulate(HttpRequest<?> request, @Nullable @Body String body) {
    Queries.allowOnly(request.getParameters(), Set.of());
    DecisionController.checkSize(body);
    Issues issues = new Issues();
    Fields f = new Fields(StrictJson.parseObject(body), "", issues).allow(FIELDS);
    Optional<Principal> principal = f.text("principal", true).flatMap(a -> principal(a, issues));
    List<String> actions = f.strings("actionNames");
    if (actions.isEmpty() && f.value("actionNames").isEmpty()) {
      issues.add(ErrorCode.INVALID_REQUEST, "actionNames", "`actionNames` is required");
    } else if (actions.isEmpty()) {
      // As SimulatePrincipalPolicy: an empty list asks nothing, most likely by mistake.
      issues.add(ErrorCode.INVALID_REQUEST, "actionNames", "name at least one action");
    } else if (actions.size() > MAX_ACTIONS) {
      issues.add(ErrorCode.INVALID_REQUEST, "actionNames", "at most " + MAX_ACTIONS + " actions");
    }
    for (int i = 0; i < actions.size(); i++) {
      if (!ACTION.matcher(actions.get(i)).matches()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            "actionNames[" + i + "]",
            "`" + actions.get(i) + "` is not an action such as `ec2:RunInstances`");
      }
    }
    List<String> resources = f.strings("resourceArns");
    if (resources.isEmpty()) {
      resources = List.of("*");
    } else if (resources.size() > MAX_RESOURCES) {
      issues.add(
          ErrorCode.INVALID_REQUEST, "resourceArns", "at most " + MAX_RESOURCES + " resources");
    }
    for (int i = 0; i < resources.size(); i++) {
      String r = resources.get(i);
      if (!r.equals("*") && (!r.startsWith("arn:") || r.length() > 2048)) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            "resourceArns[" + i + "]",
            "`" + r + "` is not an ARN or `*`");
      }
    }
    Map<String, List<String>> context = DecisionRequestBody.context(f, issues);
    issues.throwIfAny();

    Principal p = principal.orElseThrow();
    ResolvedPrincipal resolved = snapshots.principal(DecisionService.ref(p), p.arn());
    PrincipalPolicies policies = resolved.policies();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("revision", resolved.revision());
    ArrayNode results = out.putArray("evaluationResults");
    for (String action : actions) {
      for (String resource : resources) {
        CheckResult r =
            Authorizer.authorize(AuthorizationRequest.of(p, action, resource, context), policies);
        results.add(DecisionJson.check(r));
      }
    }
    ArrayNode findings = out.putArray("findings");
    resolved
        .findings()
        .forEach(x -> findings.addObject().put("code", x.code()).put("message", x.message()));
    return out;
  }

  /** A user, a role session, or a role (simulated as a session named `simulation`). */
  private static Optional<Principal> principal(String arn, Issues issues) {
    Optional<Principal> p = Principal.parse(arn);
    if (p.isPresent()) {
      return p;
    }
    Optional<Arn> parts = Arn.parse(arn);
    Optional<Arn.PathAndName> role = parts.flatMap(a -> a.iamEntity("role"));
    if (role.isPresent()) {
      return Principal.parse(
          "arn:"
              + parts.get().partition()
              + ":sts::"
              + parts.get().account()
              + ":assumed-role/"
              + role.get().name()
              + "/simulation");
    }
    issues.add(
        ErrorCode.INVALID_REQUEST,
        "principal",
        "`" + arn + "` is not a user, role or role session ARN");
    return Optional.empty();
  }
}
