package dev.rolegate.api.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.problem.StrictJson.Fields;
import dev.rolegate.engine.parse.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The body of a batch of decisions: {@code {"requests": [BODY, ...]}}, each a decision request as
 * {@code POST /v1/decisions/instance-profile} takes it. Every request is checked before any is
 * decided, and the problems of all of them are reported at once, at {@code requests[i].FIELD}: a
 * batch with one bad request decides and logs nothing.
 */
public record BatchRequestBody(List<DecisionRequestBody> requests) {
  /**
   * Enough for a tool's page of instances or a plan's associations, small enough to answer fast.
   */
  public static final int MAX_REQUESTS = 1_000;

  /**
   * A batch's body in characters: a thousand requests of the usual size (about 400 characters) with
   * room to spare, far below the server's limit for any body.
   */
  public static final int MAX_BODY = 4 * 1024 * 1024;

  public BatchRequestBody {
    requests = List.copyOf(requests);
  }

  /** Reads and checks the batch; throws the problems of every request at once. */
  public static BatchRequestBody read(ObjectNode node) {
    Issues issues = new Issues();
    Optional<JsonNode> list =
        new Fields(node, "", issues).allow(Set.of("requests")).value("requests");
    issues.throwIfAny();
    if (list.isEmpty()) {
      throw refused(
          "`requests` is required: a list of 1 to " + MAX_REQUESTS + " decision requests");
    }
    JsonNode items = list.get();
    if (!items.isArray()) {
      throw refused(
          "`requests` must be a list of decision requests, not " + StrictJson.kind(items));
    }
    if (items.isEmpty() || items.size() > MAX_REQUESTS) {
      throw refused(
          "`requests` holds "
              + items.size()
              + " decision requests; a batch holds 1 to "
              + MAX_REQUESTS);
    }
    List<DecisionRequestBody> requests = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = "requests[" + i + "]";
      if (!item.isObject()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at,
            "a decision request must be an object, not " + StrictJson.kind(item));
        continue;
      }
      // The log keeps each request as its own JSON text, as if it had come alone; it is held to
      // the limit of a request that comes alone.
      String text = item.toString();
      if (text.length() > DecisionController.MAX_DECISION_BODY) {
        issues.add(ErrorCode.PAYLOAD_TOO_LARGE, at, DecisionController.tooLong(text));
        continue;
      }
      try {
        requests.add(DecisionRequestBody.read((ObjectNode) item, at, text));
      } catch (ApiProblem p) {
        issues.addAll(p.code(), p.problems());
      }
    }
    issues.throwIfAny();
    return new BatchRequestBody(requests);
  }

  private static ApiProblem refused(String message) {
    return ApiProblem.invalid(ErrorCode.INVALID_REQUEST, List.of(new Problem("requests", message)));
  }
}
