package dev.rolegate.api.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.persistence.token.StoredToken;
import dev.rolegate.persistence.token.TokenStore;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** API tokens (admin scope): create one with scopes (its value is shown once), list, revoke. */
@Controller("/v1/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private final Tokens tokens;
  private final TokenStore store;

  public TokenController(Tokens tokens, TokenStore store) {
    this.tokens = tokens;
    this.store = store;
  }

  @Post
  @Consumes(MediaType.APPLICATION_JSON)
  public HttpResponse<ObjectNode> create(HttpRequest<?> request, @Nullable @Body String body) {
    Issues issues = new Issues();
    var f =
        new StrictJson.Fields(StrictJson.parseObject(body), "", issues)
            .allow(Set.of("name", "scopes"));
    Optional<String> given = f.text("name", true);
    String name = given.orElse("");
    // Given but empty is refused too (a token named "" could never be revoked: DELETE /v1/tokens/
    // names none); `Bootstrap` would pass for the bootstrap token in the logs.
    if (given.isPresent()
        && (!NAME.matcher(name).matches() || name.equalsIgnoreCase(Tokens.BOOTSTRAP))) {
      issues.add(
          ErrorCode.INVALID_REQUEST,
          "name",
          "a token name has 1 to 64 letters, digits, `.`, `_` or `-`, and is not `bootstrap`");
    }
    List<String> scopeNames = f.strings("scopes");
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (int i = 0; i < scopeNames.size(); i++) {
      int at = i;
      Scope.fromWireName(scopeNames.get(i))
          .ifPresentOrElse(
              scopes::add,
              () ->
                  issues.add(
                      ErrorCode.INVALID_REQUEST,
                      "scopes[" + at + "]",
                      "`"
                          + scopeNames.get(at)
                          + "` is not a scope: use `admin`, `decide` or `audit`"));
    }
    if (scopeNames.isEmpty() && f.value("scopes").isPresent()) {
      issues.add(ErrorCode.INVALID_REQUEST, "scopes", "give at least one scope");
    } else if (f.value("scopes").isEmpty()) {
      issues.add(ErrorCode.INVALID_REQUEST, "scopes", "`scopes` is required");
    }
    issues.throwIfAny();
    String token =
        tokens
            .create(name, scopes, Caller.of(request).name())
            .orElseThrow(
                () ->
                    new ApiProblem(
                        ErrorCode.ALREADY_EXISTS,
                        "a token named `"
                            + name
                            + "` exists or existed (a revoked token's name stays taken, so that"
                            + " the logs name one token by it): choose another name"));
    ObjectNode out = JsonNodeFactory.instance.objectNode().put("name", name).put("token", token);
    ArrayNode s = out.putArray("scopes");
    scopes.forEach(sc -> s.add(sc.wireName()));
    return HttpResponse.created(out);
  }

  @Get
  public ObjectNode list() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("tokens");
    for (StoredToken t : store.list()) {
      ObjectNode o =
          items
              .addObject()
              .put("name", t.name())
              .put("createdAt", t.createdAt().toString())
              .put("createdBy", t.createdBy());
      ArrayNode s = o.putArray("scopes");
      t.scopes().stream().sorted().forEach(s::add);
    }
    return out;
  }

  @Delete("/{name}")
  public ObjectNode revoke(@PathVariable String name) {
    if (!store.revoke(name)) {
      throw new ApiProblem(ErrorCode.NOT_FOUND, "no live token is named `" + name + "`");
    }
    tokens.forget();
    return JsonNodeFactory.instance.objectNode().put("revoked", name);
  }
}
