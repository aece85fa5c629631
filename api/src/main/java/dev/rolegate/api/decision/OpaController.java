package dev.rolegate.api.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.auth.Caller;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.StrictJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The OPA Data API form of the decision, for clients that speak to OPA: {@code {"input": BODY}} in,
 * {@code {"result": ..., "decision_id": ...}} out. OPA's query parameters are accepted; {@code
 * explain=full} adds the reasoning, {@code metrics} the server time, {@code provenance} the
 * revision, {@code pretty} indents the answer.
 *
 * <p>As OPA does, a body is read as JSON whatever form it is declared as: OPA's own examples post
 * with {@code curl -d}, which declares {@code application/x-www-form-urlencoded}. The body is never
 * read as a form; other media types are refused.
 */
@Controller("/v1/data/rolegate")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OpaController {
  private static final Set<String> PARAMETERS =
      Set.of("pretty", "provenance", "explain", "metrics", "instrument", "strict-builtin-errors");

  /** A GET takes the same parameters, and its input as one more. */
  private static final Set<String> GET_PARAMETERS =
      Stream.concat(PARAMETERS.stream(), Stream.of("input"))
          .collect(Collectors.toUnmodifiableSet());

  private static final Set<String> EXPLAIN_MODES = Set.of("off", "notes", "fails", "full", "debug");

  private final DecisionService service;

  public OpaController(DecisionService service) {
    this.service = service;
  }

  @Post("/instance_profile/allow")
  @Consumes({
    MediaType.APPLICATION_JSON,
    MediaType.APPLICATION_FORM_URLENCODED,
    MediaType.TEXT_PLAIN
  })
  public HttpResponse<String> allow(HttpRequest<?> request, @Nullable @Body String body) {
    return answer(request, posted(request, body), true);
  }

  @Post("/instance_profile")
  @Consumes({
    MediaType.APPLICATION_JSON,
    MediaType.APPLICATION_FORM_URLENCODED,
    MediaType.TEXT_PLAIN
  })
  public HttpResponse<String> full(HttpRequest<?> request, @Nullable @Body String body) {
    return answer(request, posted(request, body), false);
  }

  /** OPA's GET form: the input is the JSON in the {@code input} query parameter. */
  @Get("/instance_profile/allow")
  public HttpResponse<String> allowByGet(HttpRequest<?> request) {
    return answer(request, queried(request), true);
  }

  @Get("/instance_profile")
  public HttpResponse<String> fullByGet(HttpRequest<?> request) {
    return answer(request, queried(request), false);
  }

  /** The input of a POST: {@code {"input": BODY}}. */
  private static ObjectNode posted(HttpRequest<?> request, String body) {
    Queries.allowOnly(request.getParameters(), PARAMETERS);
    DecisionController.checkSize(body);
    ObjectNode root = StrictJson.parseObject(body);
    Issues issues = new Issues();
    Optional<ObjectNode> input =
        new StrictJson.Fields(root, "", issues).allow(Set.of("input")).object("input", true);
    issues.throwIfAny();
    return input.orElseThrow();
  }

  /**
   * The input of a GET. OPA takes the last {@code input} when it is given more than once; a request
   * that names two inputs is more likely a mistake here, where the answer is logged.
   */
  private static ObjectNode queried(HttpRequest<?> request) {
    HttpParameters params = request.getParameters();
    Queries.allowOnly(params, GET_PARAMETERS);
    String text =
        Queries.single(params, "input")
            .orElseThrow(
                () ->
                    new ApiProblem(
                        ErrorCode.INVALID_PARAMETER,
                        "`input` is required: the decision request as JSON, URL-encoded"));
    DecisionController.checkSize(text);
    if (text.isBlank()) {
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER, "`input` is empty: give the decision request as JSON");
    }
    JsonNode input;
    try {
      input = StrictJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER,
          "`input` is not valid JSON" + StrictJson.where(e) + ": " + StrictJson.reason(e));
    }
    if (!input.isObject()) {
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER,
          "`input` must be a JSON object (the decision request), not " + StrictJson.kind(input));
    }
    return (ObjectNode) input;
  }

  private HttpResponse<String> answer(HttpRequest<?> request, ObjectNode input, boolean allowOnly) {
    long started = System.nanoTime();
    HttpParameters params = request.getParameters();
    boolean pretty = flag(params, "pretty");
    boolean provenance = flag(params, "provenance");
    boolean metrics = flag(params, "metrics") || flag(params, "instrument");
    flag(params, "strict-builtin-errors");
    String explain = Queries.single(params, "explain").orElse("off");
    if (!EXPLAIN_MODES.contains(explain)) {
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER,
          "`explain` must be one of `off`, `notes`, `fails`, `full`, `debug`, not `"
              + explain
              + "`");
    }
    DecisionService.Answer answer =
        service.decide(
            DecisionRequestBody.read(input, "input", input.toString()), Caller.of(request).name());
    answer.awaitStored();

    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (allowOnly) {
      out.put("result", answer.decision().allowed());
    } else {
      out.set("result", answer.json());
    }
    out.put("decision_id", answer.record().decisionId().toString());
    if (allowOnly && (explain.equals("full") || explain.equals("debug"))) {
      out.set("explanation", answer.json());
    }
    if (provenance) {
      out.putObject("provenance")
          .put("version", "rolegate")
          .put("revision", answer.record().revision());
    }
    if (metrics) {
      out.putObject("metrics").put("timer_server_handler_ns", System.nanoTime() - started);
    }
    return HttpResponse.ok(write(out, pretty)).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** OPA's boolean parameters: present without a value, or {@code true}/{@code false}. */
  static boolean flag(HttpParameters params, String name) {
    Optional<String> v = Queries.single(params, name);
    if (v.isEmpty()) {
      return false;
    }
    return switch (v.get()) {
      case "", "true" -> true;
      case "false" -> false;
      default ->
          throw new ApiProblem(
              ErrorCode.INVALID_PARAMETER,
              "`" + name + "` must be `true` or `false`, not `" + v.get() + "`");
    };
  }

  static String write(ObjectNode out, boolean pretty) {
    try {
      return pretty
          ? StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out)
          : StrictJson.MAPPER.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer", e);
    }
  }
}
