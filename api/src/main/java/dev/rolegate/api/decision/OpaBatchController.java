package dev.rolegate.api.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.auth.Caller;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.Issues;
import dev.rolegate.api.problem.ProblemJson;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.engine.parse.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The batch form of the OPA Data API, as Enterprise OPA serves it and OPA's client SDKs call it
 * (their {@code evaluateBatch}): {@code {"inputs": {ID: INPUT, ...}, "common_input": {...}}} in,
 * {@code {"responses": {ID: {"result": ..., "decision_id": ...}}}} out. Each input is a decision
 * request, merged into {@code common_input} (the input's fields win; objects such as the context
 * are merged field by field). As in Enterprise OPA, an input that cannot be decided gets its own
 * error beside the others' results, with status 207 Multi-Status, and the others are decided and
 * logged; the native batch refuses a batch whole instead.
 */
@Controller("/v1/batch/data/rolegate")
@ExecuteOn(TaskExecutors.BLOCKING)
// As OpaController's bodies: JSON whatever form it is declared as.
@Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN})
public class OpaBatchController {
  private static final Set<String> PARAMETERS =
      Set.of("pretty", "provenance", "metrics", "instrument", "strict-builtin-errors");

  private final DecisionService service;

  public OpaBatchController(DecisionService service) {
    this.service = service;
  }

  @Post("/instance_profile/allow")
  public HttpResponse<String> allow(HttpRequest<?> request, @Nullable @Body String body) {
    return answer(request, body, true);
  }

  @Post("/instance_profile")
  public HttpResponse<String> full(HttpRequest<?> request, @Nullable @Body String body) {
    return answer(request, body, false);
  }

  private HttpResponse<String> answer(HttpRequest<?> request, String body, boolean allowOnly) {
    long started = System.nanoTime();
    HttpParameters params = request.getParameters();
    Queries.allowOnly(params, PARAMETERS);
    boolean pretty = OpaController.flag(params, "pretty");
    boolean provenance = OpaController.flag(params, "provenance");
    boolean metrics =
        OpaController.flag(params, "metrics") || OpaController.flag(params, "instrument");
    OpaController.flag(params, "strict-builtin-errors");
    DecisionController.checkSize(body, BatchRequestBody.MAX_BODY, "a batch of decision requests");
    ObjectNode root = StrictJson.parseObject(body);
    Issues issues = new Issues();
    StrictJson.Fields f =
        new StrictJson.Fields(root, "", issues).allow(Set.of("inputs", "common_input"));
    Optional<ObjectNode> inputs = f.object("inputs", true);
    Optional<ObjectNode> common = f.object("common_input", false);
    // A field no request has would be refused in every input: said once, where it is.
    common.ifPresent(
        c -> new StrictJson.Fields(c, "common_input", issues).allow(DecisionRequestBody.FIELDS));
    issues.throwIfAny();
    if (inputs.get().size() > BatchRequestBody.MAX_REQUESTS) {
      throw problem(
          ErrorCode.INVALID_REQUEST,
          "inputs",
          "`inputs` holds "
              + inputs.get().size()
              + " inputs; a batch holds at most "
              + BatchRequestBody.MAX_REQUESTS);
    }
    Read read = read(inputs.get(), common);
    Map<String, DecisionRequestBody> decidable = read.decidable();
    Map<String, ApiProblem> refused = read.refused();
    List<String> ids = read.ids();

    List<DecisionService.Answer> answers =
        service.decideAll(new ArrayList<>(decidable.values()), Caller.of(request).name());
    Map<String, DecisionService.Answer> byId = new HashMap<>();
    Iterator<DecisionService.Answer> next = answers.iterator();
    for (String id : decidable.keySet()) {
      byId.put(id, next.next());
    }
    boolean mixed = !refused.isEmpty();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode responses = out.putObject("responses");
    for (String id : ids) {
      DecisionService.Answer answer = byId.get(id);
      if (answer == null) {
        ApiProblem p = refused.get(id);
        ObjectNode error = ProblemJson.body(p);
        error.put("http_status_code", String.valueOf(p.code().status().getCode()));
        responses.set(id, error);
        continue;
      }
      answer.awaitStored();
      ObjectNode r = responses.putObject(id);
      if (allowOnly) {
        r.put("result", answer.decision().allowed());
      } else {
        r.set("result", answer.json());
      }
      r.put("decision_id", answer.record().decisionId().toString());
      if (provenance) {
        r.putObject("provenance")
            .put("version", "rolegate")
            .put("revision", answer.record().revision());
      }
      if (mixed) {
        r.put("http_status_code", "200");
      }
    }
    if (metrics) {
      out.putObject("metrics").put("timer_server_handler_ns", System.nanoTime() - started);
    }
    return HttpResponse.<String>status(mixed ? HttpStatus.MULTI_STATUS : HttpStatus.OK)
        .body(OpaController.write(out, pretty))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** The inputs by id, in order: those that can be decided, and the problems of the others. */
  private record Read(
      List<String> ids,
      Map<String, DecisionRequestBody> decidable,
      Map<String, ApiProblem> refused) {}

  private Read read(ObjectNode inputs, Optional<ObjectNode> common) {
    List<String> ids = new ArrayList<>();
    Map<String, DecisionRequestBody> decidable = new LinkedHashMap<>();
    Map<String, ApiProblem> refused = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      String at = at(id);
      ids.add(id);
      if (!(e.getValue() instanceof ObjectNode input)) {
        refused.put(
            id,
            problem(
                ErrorCode.INVALID_REQUEST,
                at,
                "an input must be an object (a decision request), not "
                    + StrictJson.kind(e.getValue())));
        continue;
      }
      ObjectNode merged = common.map(c -> merged(c, input)).orElse(input);
      String text = merged.toString();
      if (text.length() > DecisionController.MAX_DECISION_BODY) {
        refused.put(id, problem(ErrorCode.PAYLOAD_TOO_LARGE, at, DecisionController.tooLong(text)));
        continue;
      }
      try {
        decidable.put(id, DecisionRequestBody.read(merged, at, text));
      } catch (ApiProblem p) {
        refused.put(id, common.isPresent() ? fromCommon(p, at, input, common.get()) : p);
      }
    }
    List<String> read = new ArrayList<>(decidable.keySet());
    List<Optional<ApiProblem>> unwritten =
        service.unwrittenRevisions(new ArrayList<>(decidable.values()));
    for (int i = 0; i < read.size(); i++) {
      String id = read.get(i);
      unwritten.get(i).ifPresent(p -> refused.put(id, p));
    }
    decidable.keySet().removeAll(refused.keySet());
    return new Read(ids, decidable, refused);
  }

  private static ApiProblem problem(ErrorCode code, String at, String message) {
    return ApiProblem.invalid(code, List.of(new Problem(at, message)));
  }

  /**
   * Where an input's problems are reported: {@code inputs.ID}, or {@code inputs["ID"]} when the id
   * holds characters that would read as a path of its own (a dot, a bracket, a quote).
   */
  static String at(String id) {
    if (!id.isEmpty()
        && id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
      return "inputs." + id;
    }
    return "inputs[" + JsonNodeFactory.instance.textNode(id) + "]";
  }

  /**
   * An input's problems, each at {@code common_input} when what it names came from there (the input
   * lacks that field, or that context key, and the common input has it), so that a client mends the
   * right object.
   */
  static ApiProblem fromCommon(ApiProblem p, String at, ObjectNode input, ObjectNode common) {
    List<Problem> problems = new ArrayList<>();
    for (Problem problem : p.problems()) {
      problems.add(
          inherited(problem.path(), at, input, common)
              ? new Problem(
                  "common_input" + problem.path().substring(at.length()), problem.message())
              : problem);
    }
    return ApiProblem.invalid(p.code(), problems);
  }

  private static boolean inherited(String path, String at, ObjectNode input, ObjectNode common) {
    if (!path.startsWith(at + ".")) {
      return false;
    }
    String rest = path.substring(at.length() + 1);
    int end = rest.length();
    for (char stop : new char[] {'.', '['}) {
      int i = rest.indexOf(stop);
      end = i >= 0 ? Math.min(end, i) : end;
    }
    String field = rest.substring(0, end);
    if (!common.has(field)) {
      return false;
    }
    if (!input.has(field)) {
      return true;
    }
    // Both have it: only an object (the context) is merged, key by key.
    if (!(input.get(field) instanceof ObjectNode own)
        || !(common.get(field) instanceof ObjectNode)) {
      return false;
    }
    String keys = rest.substring(end);
    for (Iterator<String> it = common.get(field).fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!own.has(key) && (keys.equals("." + key) || keys.startsWith("." + key + "["))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code input} over {@code common}: the input's fields win, objects are merged field by field.
   */
  static ObjectNode merged(ObjectNode common, ObjectNode input) {
    ObjectNode out = common.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (out.get(e.getKey()) instanceof ObjectNode base
          && e.getValue() instanceof ObjectNode value) {
        out.set(e.getKey(), merged(base, value));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }
}
