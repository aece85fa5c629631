package dev.rolegate.api.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.snapshot.ChangeFollower;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.api.snapshot.Preloader;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.ArrayList;
import java.util.List;

/**
 * Health for load balancers, orchestrators and monitoring, without a token, from memory only (a
 * probe never waits on the database). Each answers {@code {"status": "UP"}}, or 503 with {@code
 * {"status": "DOWN", "reasons": [...]}}.
 *
 * <ul>
 *   <li>{@code /health/liveness}: the process serves requests. Restart a node only on this: a node
 *       restarted because the database is away loses the snapshot it was answering from.
 *   <li>{@code /health/readiness}: the node can answer decisions: it has caught up with the store
 *       and, with preloading on, loaded every account once. It stays ready while the database is
 *       unreachable, since decisions are then answered from what it holds; send decisions to the
 *       nodes that are ready.
 *   <li>{@code /health}: ready, and following the store's changes, which needs the database (the
 *       change follower asks it every 250 ms when nothing is notified): what to alert on.
 * </ul>
 */
@Controller("/health")
public class HealthController {
  private final PolicySnapshots snapshots;
  private final ChangeFollower follower;
  private final BeanProvider<Preloader> preloader;

  public HealthController(
      PolicySnapshots snapshots, ChangeFollower follower, BeanProvider<Preloader> preloader) {
    this.snapshots = snapshots;
    this.follower = follower;
    this.preloader = preloader;
  }

  @Get
  public HttpResponse<ObjectNode> health() {
    List<String> reasons = notReady();
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
    return answer(notReady());
  }

  private List<String> notReady() {
    List<String> reasons = new ArrayList<>(2);
    if (snapshots.applied() < 0) {
      reasons.add("not caught up with the store yet");
    } else if (preloader.isPresent()) {
      int left = preloader.get().firstRoundLeft();
      if (left != 0) {
        reasons.add(
            left < 0
                ? "not listed the store's accounts yet"
                : "loading the store's accounts: " + left + " left");
      }
    }
    return reasons;
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
