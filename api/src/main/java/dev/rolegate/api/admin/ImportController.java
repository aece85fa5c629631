package dev.rolegate.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.imports.AuthorizationDetailsReader;
import dev.rolegate.api.imports.ImportResult;
import dev.rolegate.api.imports.UnresolvedReference;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.persistence.account.AccountState;
import dev.rolegate.persistence.store.AccountStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code PUT /v1/accounts/{accountId}/authorization-details}: replaces the account's IAM state with
 * the output of {@code aws iam get-account-authorization-details}, atomically, as one revision.
 */
@Controller("/v1/accounts/{accountId}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ImportController {
  private final Importer importer;

  public ImportController(Importer importer) {
    this.importer = importer;
  }

  @Put("/authorization-details")
  @Consumes(MediaType.APPLICATION_JSON)
  public ObjectNode replace(
      HttpRequest<?> request, @PathVariable String accountId, @Nullable @Body String body) {
    String account = AccountController.account(accountId);
    return importer.replace(account, body, AccountController.actor(request));
  }

  /** Reads, validates and stores an authorization-details document; also used by the demo. */
  @Singleton
  public static class Importer {
    private final AccountStore accounts;
    private final PolicySnapshots snapshots;

    public Importer(AccountStore accounts, PolicySnapshots snapshots) {
      this.accounts = accounts;
      this.snapshots = snapshots;
    }

    public ObjectNode replace(String accountId, String body, String actor) {
      ImportResult result =
          AuthorizationDetailsReader.read(StrictJson.parseObject(body), accountId);
      return switch (result) {
        case ImportResult.Invalid invalid ->
            throw ApiProblem.invalid(ErrorCode.INVALID_REQUEST, invalid.problems());
        case ImportResult.Read read -> {
          long revision = accounts.replaceAccount(read.state(), actor);
          snapshots.changed(revision, accountId);
          yield answer(accountId, revision, read.state(), read.unresolved());
        }
      };
    }

    private static ObjectNode answer(
        String accountId, long revision, AccountState s, List<UnresolvedReference> unresolved) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("revision", revision);
      out.put("accountId", accountId);
      out.putObject("imported")
          .put("users", s.users().size())
          .put("groups", s.groups().size())
          .put("roles", s.roles().size())
          .put(
              "policies", s.policies().stream().filter(AccountState.ManagedPolicy::isKnown).count())
          .put("instanceProfiles", s.instanceProfiles().size());
      ArrayNode refs = out.putArray("unresolvedReferences");
      for (UnresolvedReference r : unresolved) {
        refs.addObject()
            .put("path", r.path())
            .put("entityArn", r.entityArn())
            .put("policyArn", r.policyArn());
      }
      return out;
    }
  }
}
