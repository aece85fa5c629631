package dev.rolegate.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.problem.StrictJson.Fields;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.engine.parse.IamNames;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.persistence.store.ServiceControlPolicies;
import dev.rolegate.persistence.store.ServiceControlPolicies.Scp;
import dev.rolegate.persistence.store.Versioned;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SCP levels that govern an account, root first: {@code {"levels": [[{"name", "document"}],
 * ...]}}. Every level must allow an action; an empty list of levels means no organization.
 */
@Controller("/v1/accounts/{accountId}/service-control-policies")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ServiceControlController {
  /** Root, five levels of OUs, the account: the deepest chain AWS Organizations allows. */
  static final int MAX_LEVELS = 7;

  /** SCPs attached to one root, OU or account (AWS Organizations quota). */
  static final int MAX_PER_LEVEL = 5;

  /** An SCP document's size (AWS Organizations quota), counted as IAM counts. */
  static final int MAX_SIZE = 5_120;

  private final ServiceControlPolicies scps;
  private final PolicySnapshots snapshots;

  public ServiceControlController(ServiceControlPolicies scps, PolicySnapshots snapshots) {
    this.scps = scps;
    this.snapshots = snapshots;
  }

  @Get
  public HttpResponse<ObjectNode> get(@PathVariable String accountId) {
    Versioned<List<List<Scp>>> v =
        scps.get(AccountController.account(accountId))
            .orElseThrow(
                () ->
                    new ApiProblem(
                        ErrorCode.NOT_FOUND,
                        "no SCP levels were set for account `" + accountId + "`"));
    return HttpResponse.ok(render(v.value(), v.revision()))
        .header("ETag", Preconditions.etag(v.revision()));
  }

  @Put
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> put(
      HttpRequest<?> request, @PathVariable String accountId, @Nullable @Body String body) {
    String account = AccountController.account(accountId);
    List<List<Scp>> levels = read(body);
    long revision =
        scps.put(account, levels, Preconditions.of(request), AccountController.actor(request));
    snapshots.changed(revision, account);
    ObjectNode out = JsonNodeFactory.instance.objectNode().put("revision", revision);
    out.set("entity", render(levels, revision));
    return HttpResponse.ok(out).header("ETag", Preconditions.etag(revision));
  }

  static List<List<Scp>> read(String body) {
    Issues issues = new Issues();
    ObjectNode root = StrictJson.parseObject(body);
    new Fields(root, "", issues).allow(Set.of("levels"));
    JsonNode levels = root.get("levels");
    List<List<Scp>> out = new ArrayList<>();
    if (levels == null || !levels.isArray()) {
      issues.add(
          ErrorCode.INVALID_REQUEST, "levels", "`levels` must be an array of levels, root first");
    } else if (levels.size() > MAX_LEVELS) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          "levels",
          "at most " + MAX_LEVELS + " levels, not " + levels.size());
    } else {
      for (int l = 0; l < levels.size(); l++) {
        out.add(level(levels.get(l), "levels[" + l + "]", issues));
      }
    }
    issues.throwIfAny();
    return out;
  }

  private static List<Scp> level(JsonNode level, String at, Issues issues) {
    List<Scp> out = new ArrayList<>();
    if (!level.isArray() || level.isEmpty() || level.size() > MAX_PER_LEVEL) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          at,
          "a level is an array of 1 to "
              + MAX_PER_LEVEL
              + " SCPs (a level without one denies everything)");
      return out;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < level.size(); i++) {
      String p = at + "[" + i + "]";
      if (!level.get(i).isObject()) {
        issues.add(ErrorCode.INVALID_REQUEST, p, "an SCP is an object with `name` and `document`");
        continue;
      }
      Fields f = new Fields((ObjectNode) level.get(i), p, issues).allow(Set.of("name", "document"));
      Optional<String> name = f.text("name", true);
      name.flatMap(n -> IamNames.nameProblem(IamNames.Kind.MANAGED_POLICY, n))
          .ifPresent(m -> issues.add(ErrorCode.INVALID_REQUEST, f.at("name"), m));
      name.filter(n -> !names.add(n))
          .ifPresent(
              n ->
                  issues.add(
                      ErrorCode.INVALID_REQUEST,
                      f.at("name"),
                      "`" + n + "` is listed twice in this level"));
      Optional<JsonNode> doc =
          EntityBodies.document(
              f, "document", PolicyKind.SERVICE_CONTROL, MAX_SIZE, "the SCP", issues);
      if (name.isPresent() && doc.isPresent()) {
        out.add(new Scp(name.get(), doc.get()));
      }
    }
    return out;
  }

  private static ObjectNode render(List<List<Scp>> levels, long revision) {
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("revision", revision);
    ArrayNode ls = o.putArray("levels");
    for (List<Scp> level : levels) {
      ArrayNode l = ls.addArray();
      level.forEach(s -> l.addObject().put("name", s.name()).set("document", s.document()));
    }
    return o;
  }
}
