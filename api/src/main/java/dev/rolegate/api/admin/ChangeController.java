package dev.rolegate.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.decision.Queries;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.persistence.audit.ChangeLog;
import dev.rolegate.persistence.audit.ChangeRecord;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The change log, newest first: every write with its revision, actor, and before and after. */
@Controller("/v1/changes")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ChangeController {
  private static final Set<String> PARAMETERS = Set.of("accountId", "entityArn", "limit", "cursor");
  private final ChangeLog changes;

  public ChangeController(ChangeLog changes) {
    this.changes = changes;
  }

  @Get
  public ObjectNode list(HttpRequest<?> request) {
    var params = request.getParameters();
    Queries.allowOnly(params, PARAMETERS);
    Optional<String> account = Queries.single(params, "accountId").map(AccountController::account);
    Optional<Long> before =
        Queries.single(params, "cursor")
            .map(
                c -> {
                  // A cursor is the revision the next page starts below: a positive number.
                  long revision = Queries.asciiNumber(c, 18).orElse(0);
                  if (revision < 1) {
                    throw new ApiProblem(
                        ErrorCode.INVALID_PARAMETER, "`cursor` is not a cursor this API returned");
                  }
                  return revision;
                });
    int limit = Queries.limit(params, 100, 1000);
    List<ChangeRecord> page =
        changes.list(account, Queries.single(params, "entityArn"), before, limit);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("changes");
    for (ChangeRecord c : page) {
      ObjectNode o = items.addObject();
      o.put("revision", c.revision());
      o.put("changedAt", c.changedAt().toString());
      o.put("actor", c.actor());
      o.put("accountId", c.accountId());
      o.put("entityKind", c.entityKind());
      o.put("entityArn", c.entityArn());
      o.put("change", c.change());
      o.set("before", c.before());
      o.set("after", c.after());
    }
    if (page.size() == limit) {
      out.put("nextCursor", Long.toString(page.get(page.size() - 1).id()));
    } else {
      out.putNull("nextCursor");
    }
    return out;
  }
}
