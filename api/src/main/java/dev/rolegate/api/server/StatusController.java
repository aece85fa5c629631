package dev.rolegate.api.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.audit.AuditWriter;
import dev.rolegate.api.decision.Queries;
import dev.rolegate.api.snapshot.ChangeFollower;
import dev.rolegate.api.snapshot.PolicySnapshots;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Set;

/**
 * {@code GET /v1/status}: this node's state, from memory only (no database, no engine): its name
 * (which node of several answered), the revision it has applied, whether it follows the store's
 * changes, how many accounts, principals and roles it holds compiled, and its audit backlog. Any
 * valid token may read it; the HTTP benchmark uses it as its trivial endpoint.
 */
@Controller("/v1/status")
public class StatusController {
  private final PolicySnapshots snapshots;
  private final ChangeFollower follower;
  private final AuditWriter audit;
  private final String node;

  public StatusController(
      PolicySnapshots snapshots, ChangeFollower follower, AuditWriter audit, NodeName node) {
    this.snapshots = snapshots;
    this.follower = follower;
    this.audit = audit;
    this.node = node.name();
  }

  @Get
  public ObjectNode status(HttpRequest<?> request) {
    Queries.allowOnly(request.getParameters(), Set.of());
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("node", node);
    out.put("revision", snapshots.applied());
    out.put("followingChanges", follower.connected());
    PolicySnapshots.Held held = snapshots.held();
    out.putObject("held")
        .put("accounts", held.accounts())
        .put("principals", held.principals())
        .put("roles", held.roles());
    out.putObject("audit")
        .put("queued", audit.queued())
        .put("databaseDown", audit.databaseDown())
        .put("answerAfterStore", audit.answerAfterStore());
    return out;
  }
}
