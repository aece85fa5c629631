package dev.rolegate.api.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.auth.Caller;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.engine.parse.IamNames;
import dev.rolegate.persistence.store.AccountStore;
import dev.rolegate.persistence.store.AccountStore.EntityKind;
import dev.rolegate.persistence.store.PolicyStore;
import dev.rolegate.persistence.store.Versioned;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The IAM entities of one account as resources: users, groups, roles and instance profiles are read
 * and replaced whole ({@code PUT} creates or replaces, with {@code If-Match}); managed policies
 * keep IAM's version model. Every write answers the new {@code revision} and the entity's ETag.
 */
@Controller("/v1/accounts/{accountId}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  private final AccountStore accounts;
  private final PolicyStore policies;
  private final PolicySnapshots snapshots;

  public AccountController(AccountStore accounts, PolicyStore policies, PolicySnapshots snapshots) {
    this.accounts = accounts;
    this.policies = policies;
    this.snapshots = snapshots;
  }

  // ---- users

  @Get("/users")
  public ObjectNode users(@PathVariable String accountId) {
    return listing("users", accounts.names(account(accountId), EntityKind.USER));
  }

  @Get("/users/{name}")
  public HttpResponse<ObjectNode> user(@PathVariable String accountId, @PathVariable String name) {
    return read(
        accounts.user(account(accountId), name),
        "user",
        name,
        v -> EntityJson.user(accountId, v.value(), v.revision()));
  }

  @Put("/users/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> putUser(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    var user = EntityBodies.user(account, name, body);
    var w = accounts.putUser(account, user, Preconditions.of(request), actor(request));
    return written(account, w.revision(), EntityJson.user(account, w.value(), w.revision()));
  }

  @Delete("/users/{name}")
  public HttpResponse<ObjectNode> deleteUser(
      HttpRequest<?> request, @PathVariable String accountId, @PathVariable String name) {
    return deleted(
        accountId,
        accounts.deleteUser(account(accountId), name, Preconditions.of(request), actor(request)));
  }

  // ---- groups

  @Get("/groups")
  public ObjectNode groups(@PathVariable String accountId) {
    return listing("groups", accounts.names(account(accountId), EntityKind.GROUP));
  }

  @Get("/groups/{name}")
  public HttpResponse<ObjectNode> group(@PathVariable String accountId, @PathVariable String name) {
    return read(
        accounts.group(account(accountId), name),
        "group",
        name,
        v -> EntityJson.group(accountId, v.value(), v.revision()));
  }

  @Put("/groups/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> putGroup(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    var group = EntityBodies.group(account, name, body);
    var w = accounts.putGroup(account, group, Preconditions.of(request), actor(request));
    return written(account, w.revision(), EntityJson.group(account, w.value(), w.revision()));
  }

  @Delete("/groups/{name}")
  public HttpResponse<ObjectNode> deleteGroup(
      HttpRequest<?> request, @PathVariable String accountId, @PathVariable String name) {
    return deleted(
        accountId,
        accounts.deleteGroup(account(accountId), name, Preconditions.of(request), actor(request)));
  }

  // ---- roles

  @Get("/roles")
  public ObjectNode roles(@PathVariable String accountId) {
    return listing("roles", accounts.names(account(accountId), EntityKind.ROLE));
  }

  @Get("/roles/{name}")
  public HttpResponse<ObjectNode> role(@PathVariable String accountId, @PathVariable String name) {
    return read(
        accounts.role(account(accountId), name),
        "role",
        name,
        v -> EntityJson.role(accountId, v.value(), v.revision()));
  }

  @Put("/roles/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> putRole(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    var role = EntityBodies.role(account, name, body);
    var w = accounts.putRole(account, role, Preconditions.of(request), actor(request));
    return written(account, w.revision(), EntityJson.role(account, w.value(), w.revision()));
  }

  @Delete("/roles/{name}")
  public HttpResponse<ObjectNode> deleteRole(
      HttpRequest<?> request, @PathVariable String accountId, @PathVariable String name) {
    return deleted(
        accountId,
        accounts.deleteRole(account(accountId), name, Preconditions.of(request), actor(request)));
  }

  // ---- instance profiles

  @Get("/instance-profiles")
  public ObjectNode instanceProfiles(@PathVariable String accountId) {
    return listing(
        "instanceProfiles", accounts.names(account(accountId), EntityKind.INSTANCE_PROFILE));
  }

  @Get("/instance-profiles/{name}")
  public HttpResponse<ObjectNode> instanceProfile(
      @PathVariable String accountId, @PathVariable String name) {
    return read(
        accounts.instanceProfile(account(accountId), name),
        "instance profile",
        name,
        v -> EntityJson.instanceProfile(accountId, v.value(), v.revision()));
  }

  @Put("/instance-profiles/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> putInstanceProfile(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    var profile = EntityBodies.instanceProfile(name, body);
    var w =
        accounts.putInstanceProfile(account, profile, Preconditions.of(request), actor(request));
    return written(
        account, w.revision(), EntityJson.instanceProfile(account, w.value(), w.revision()));
  }

  @Delete("/instance-profiles/{name}")
  public HttpResponse<ObjectNode> deleteInstanceProfile(
      HttpRequest<?> request, @PathVariable String accountId, @PathVariable String name) {
    return deleted(
        accountId,
        accounts.deleteInstanceProfile(
            account(accountId), name, Preconditions.of(request), actor(request)));
  }

  // ---- managed policies

  @Get("/policies")
  public ObjectNode policies(@PathVariable String accountId) {
    return listing("policies", accounts.policyArns(account(accountId)));
  }

  @Get("/policies/{name}")
  public HttpResponse<ObjectNode> policy(
      @PathVariable String accountId, @PathVariable String name) {
    return read(
        policies.policy(account(accountId), name),
        "policy",
        name,
        v -> EntityJson.policy(v.value(), v.revision()));
  }

  /** Creates the policy (version v1) or adds the document as its new default version. */
  @Put("/policies/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> putPolicy(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    var p = EntityBodies.policy(name, body);
    var write =
        policies.putPolicy(
            account, name, p.path(), p.document(), Preconditions.of(request), actor(request));
    return written(account, write.revision(), EntityJson.policy(write.policy(), write.revision()));
  }

  @Post("/policies/{name}/versions")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> createVersion(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    var v = EntityBodies.version(body);
    var write =
        policies.createVersion(
            account,
            name,
            v.document(),
            v.setAsDefault(),
            Preconditions.of(request),
            actor(request));
    HttpResponse<ObjectNode> out =
        written(account, write.revision(), EntityJson.policy(write.policy(), write.revision()));
    out.body().put("versionId", write.versionId());
    return out;
  }

  @Put("/policies/{name}/default-version")
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> setDefaultVersion(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @Nullable @Body String body) {
    String account = account(accountId);
    String versionId = EntityBodies.defaultVersion(body);
    var write =
        policies.setDefaultVersion(
            account, name, versionId, Preconditions.of(request), actor(request));
    return written(account, write.revision(), EntityJson.policy(write.policy(), write.revision()));
  }

  @Delete("/policies/{name}/versions/{versionId}")
  public HttpResponse<ObjectNode> deleteVersion(
      HttpRequest<?> request,
      @PathVariable String accountId,
      @PathVariable String name,
      @PathVariable String versionId) {
    String account = account(accountId);
    // As the default-version body: an id that cannot be one is the client's mistake, not a 404.
    IamNames.versionIdProblem(versionId)
        .ifPresent(
            m -> {
              throw new ApiProblem(ErrorCode.INVALID_PARAMETER, m);
            });
    var write =
        policies.deleteVersion(account, name, versionId, Preconditions.of(request), actor(request));
    return written(account, write.revision(), EntityJson.policy(write.policy(), write.revision()));
  }

  @Delete("/policies/{name}")
  public HttpResponse<ObjectNode> deletePolicy(
      HttpRequest<?> request, @PathVariable String accountId, @PathVariable String name) {
    return deleted(
        accountId,
        policies.deletePolicy(account(accountId), name, Preconditions.of(request), actor(request)));
  }

  // ---- helpers

  static String account(String accountId) {
    if (!ACCOUNT_ID.matcher(accountId).matches()) {
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER, "`" + accountId + "` is not an AWS account id (12 digits)");
    }
    return accountId;
  }

  static String actor(HttpRequest<?> request) {
    return Caller.of(request).name();
  }

  private static ObjectNode listing(String field, List<String> names) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    var a = o.putArray(field);
    names.forEach(a::add);
    return o;
  }

  private static <T> HttpResponse<ObjectNode> read(
      Optional<Versioned<T>> found,
      String kind,
      String name,
      Function<Versioned<T>, ObjectNode> render) {
    Versioned<T> v =
        found.orElseThrow(
            () -> new ApiProblem(ErrorCode.NOT_FOUND, kind + " `" + name + "` does not exist"));
    return HttpResponse.ok(render.apply(v)).header("ETag", Preconditions.etag(v.revision()));
  }

  /** A write's answer: the new revision, which is also the written entity's ETag. */
  private HttpResponse<ObjectNode> written(String accountId, long revision, ObjectNode entity) {
    snapshots.changed(revision, accountId);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("revision", revision);
    out.set("entity", entity);
    return HttpResponse.ok(out).header("ETag", Preconditions.etag(revision));
  }

  private HttpResponse<ObjectNode> deleted(String accountId, long revision) {
    snapshots.changed(revision, accountId);
    return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("revision", revision));
  }
}
