package dev.rolegate.api.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.snapshot.ChangeFollower;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

/**
 * Health for load balancers, orchestrators and monitoring, without a token, from memory only (a
 * probe never waits on the database). Each answers {@code {"status": "UP"}}, or 503 with {@code
 * {"status": "DOWN", "reasons": [...]}}.
 *
 * <ul>
 *   <li>{@code /health/liveness}: the process serves requests. Restart a node only on this: a node
 *       restarted because the database is away loses the snapshot it was answering from.
 *   <li>{@code /health/readiness}: the node can answer decisions ({@link Readiness}); it stays
 *       ready while the database is unreachable, since decisions are then answered from what it
 *       holds. Send decisions to the nodes that are ready.
 *   <li>{@code /health}: ready, and following the store's changes, which needs the database (the
 *       change follower asks it every 250 ms when nothing is notified): what to alert on.
 * </ul>
 */
@Controller("/health")
public class HealthController {
  private final Readiness readiness;
  private final ChangeFollower follower;

  public HealthController(Readiness readiness, ChangeFollower follower) {
    this.readiness = readiness;
    this.follower = follower;
  }

  @Get
  public HttpResponse<ObjectNode> health() {
    List<String> reasons = readiness.notReady();
    if (!follower.connected()) {
      reasons.add("not following the store's changes: the database does not answer");
    }
    return answer(reasons);
  }

  @Get("/liveness")
  public HttpResponse<ObjectNode> liveness() {
    return answer(List.of());
  }

  @Get("/readiness")
  public HttpResponse<ObjectNode> readiness() {
    return answer(readiness.notReady());
  }

  private static HttpResponse<ObjectNode> answer(List<String> reasons) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (reasons.isEmpty()) {
      return HttpResponse.ok(body.put("status", "UP"));
    }
    body.put("status", "DOWN");
    reasons.forEach(body.putArray("reasons")::add);
    return HttpResponse.<ObjectNode>status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }
}
