package dev.rolegate.api.problem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.engine.parse.Problem;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.List;

/** Renders problems as RFC 9457 application/problem+json with rolegate's {@code code}. */
public final class ProblemJson {
  public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

  private ProblemJson() {}

  public static MutableHttpResponse<ObjectNode> response(ApiProblem p) {
    return response(p.code(), p.getMessage(), p.problems());
  }

  public static MutableHttpResponse<ObjectNode> response(ErrorCode code, String message) {
    return response(code, message, List.of());
  }

  public static MutableHttpResponse<ObjectNode> response(
      ErrorCode code, String message, List<Problem> problems) {
    MutableHttpResponse<ObjectNode> response =
        HttpResponse.<ObjectNode>status(code.status())
            .contentType(PROBLEM_JSON)
            .body(body(code, message, problems));
    if (code == ErrorCode.UNAUTHENTICATED) {
      response.header("WWW-Authenticate", "Bearer realm=\"rolegate\"");
    }
    return response;
  }

  /** The problem as JSON, for answers that carry one problem per part (a batch's inputs). */
  public static ObjectNode body(ApiProblem p) {
    return body(p.code(), p.getMessage(), p.problems());
  }

  private static ObjectNode body(ErrorCode code, String message, List<Problem> problems) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", "https://rolegate.dev/problems/" + code.wireName().replace('_', '-'));
    body.put("title", code.status().getReason());
    body.put("status", code.status().getCode());
    body.put("code", code.wireName());
    body.put("message", message);
    if (!problems.isEmpty()) {
      body.put("path", problems.get(0).path());
      ArrayNode errors = body.putArray("errors");
      for (Problem p : problems) {
        errors.addObject().put("path", p.path()).put("message", p.message());
      }
    }
    return body;
  }
}
