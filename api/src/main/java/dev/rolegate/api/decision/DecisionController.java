package dev.rolegate.api.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.audit.AuditWriter;
import dev.rolegate.api.auth.Caller;
import dev.rolegate.api.problem.ApiProblem;
import dev.rolegate.api.problem.ErrorCode;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.persistence.audit.DecisionLog;
import dev.rolegate.persistence.audit.DecisionQuery;
import dev.rolegate.persistence.audit.DecisionRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Decides instance-profile requests and serves the audit history of decisions. */
@Controller("/v1/decisions")
public class DecisionController {
  /** A decision body is small; anything bigger is refused before it is parsed. */
  public static final int MAX_DECISION_BODY = 64 * 1024;

  private static final Set<String> DECISION_FILTERS =
      Set.of("principal", "roleArn", "instanceArn", "decision", "from", "to", "limit", "cursor");
  private static final Set<String> DECISIONS = Set.of("allowed", "explicitDeny", "implicitDeny");

  /** How long a history read waits for the decisions answered just before it to be stored. */
  private static final Duration AUDIT_WAIT = Duration.ofSeconds(2);

  private final DecisionService service;
  private final DecisionLog log;
  private final AuditWriter audit;
  private final ExecutorService blocking;

  public DecisionController(
      DecisionService service,
      DecisionLog log,
      AuditWriter audit,
      @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.service = service;
    this.log = log;
    this.audit = audit;
    this.blocking = blocking;
  }

  /**
   * Runs on the event loop: a request whose principal and role this node holds is answered there,
   * without a thread hop; anything that may wait (a read of the store, minRevision, a full audit
   * queue) moves to the blocking pool.
   */
  @Post("/instance-profile")
  @Consumes(MediaType.APPLICATION_JSON)
  public CompletableFuture<HttpResponse<byte[]>> decide(
      HttpRequest<?> request, @Nullable @Body String body) {
    Queries.allowOnly(request.getParameters(), Set.of());
    checkSize(body);
    DecisionRequestBody parsed = DecisionRequestBody.read(StrictJson.parseObject(body), "", body);
    String caller = Caller.of(request).name();
    Optional<DecisionService.Answer> now = service.decideWithoutWaiting(parsed, caller);
    if (now.isPresent()) {
      return answered(now.get());
    }
    return CompletableFuture.supplyAsync(() -> service.decide(parsed, caller), blocking)
        .thenCompose(DecisionController::answered);
  }

  /**
   * The answer, once its audit record is stored when answers wait for the log. Bytes, not a String:
   * the server then copies them out in one go, not character by character.
   */
  private static CompletableFuture<HttpResponse<byte[]>> answered(DecisionService.Answer answer) {
    HttpResponse<byte[]> response =
        HttpResponse.ok(answer.record().answer().getBytes(StandardCharsets.UTF_8))
            .contentType(MediaType.APPLICATION_JSON_TYPE);
    return answer.stored().thenApply(stored -> response);
  }

  /**
   * Decides a batch: each request as the single endpoint would, in order, each logged as a decision
   * of its own, answered as {@code {"answers": [ANSWER, ...]}}. On the blocking pool: one thread
   * hop for the whole batch, which may read the store and wait for a `minRevision`.
   */
  @Post("/instance-profile/batch")
  @Consumes(MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<byte[]> decideBatch(HttpRequest<?> request, @Nullable @Body String body) {
    Queries.allowOnly(request.getParameters(), Set.of());
    checkSize(body, BatchRequestBody.MAX_BODY, "a batch of decision requests");
    BatchRequestBody batch = BatchRequestBody.read(StrictJson.parseObject(body));
    List<DecisionService.Answer> answers =
        service.decideAll(batch.requests(), Caller.of(request).name());
    // Each answer's text is already written, for the log: the batch's answer only joins them.
    StringBuilder out = new StringBuilder("{\"answers\":[");
    for (int i = 0; i < answers.size(); i++) {
      answers.get(i).awaitStored();
      out.append(i == 0 ? "" : ",").append(answers.get(i).record().answer());
    }
    out.append("]}");
    return HttpResponse.ok(out.toString().getBytes(StandardCharsets.UTF_8))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Get
  @ExecuteOn(TaskExecutors.BLOCKING)
  public ObjectNode history(HttpRequest<?> request) {
    var params = request.getParameters();
    Queries.allowOnly(params, DECISION_FILTERS);
    Optional<String> decision = Queries.single(params, "decision");
    decision.ifPresent(
        d -> {
          if (!DECISIONS.contains(d)) {
            throw new ApiProblem(
                ErrorCode.INVALID_PARAMETER,
                "`decision` must be `allowed`, `explicitDeny` or `implicitDeny`, not `" + d + "`");
          }
        });
    Optional<Instant> from = Queries.instant(params, "from");
    Optional<Instant> to = Queries.instant(params, "to");
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      // An empty range is nearly always the two swapped: an auditor should not read "no decisions".
      throw new ApiProblem(
          ErrorCode.INVALID_PARAMETER,
          "`from` ("
              + from.get()
              + ") must be before `to` ("
              + to.get()
              + "): `from` is included, `to` is not");
    }
    DecisionQuery query =
        new DecisionQuery(
            Queries.single(params, "principal"),
            Queries.single(params, "roleArn"),
            Queries.single(params, "instanceArn"),
            decision,
            from,
            to,
            Queries.single(params, "cursor").map(Cursor::decode),
            Queries.limit(params, 100, 1000));
    audit.awaitStored(AUDIT_WAIT);
    List<DecisionRecord> page = log.query(query);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode items = out.putArray("decisions");
    page.forEach(r -> items.add(summary(r)));
    if (page.size() == query.limit()) {
      DecisionRecord last = page.get(page.size() - 1);
      out.put(
          "nextCursor",
          Cursor.encode(new DecisionQuery.Position(last.decidedAt(), last.decisionId())));
    } else {
      out.putNull("nextCursor");
    }
    return out;
  }

  @Get("/{decisionId}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public ObjectNode one(HttpRequest<?> request, @PathVariable String decisionId) {
    // The decision endpoint's own path matches this route too: say what a client that GETs it
    // meant to learn, as the method not allowed that it is.
    if (decisionId.equals("instance-profile")) {
      throw new ApiProblem(
          ErrorCode.METHOD_NOT_ALLOWED,
          "`GET` is not allowed on `/v1/decisions/instance-profile`: ask for a decision with"
              + " `POST`");
    }
    Queries.allowOnly(request.getParameters(), Set.of());
    UUID id =
        DecisionIds.parse(decisionId)
            .orElseThrow(
                () ->
                    new ApiProblem(
                        ErrorCode.INVALID_PARAMETER,
                        "`" + decisionId + "` is not a decision id (a UUID)"));
    audit.awaitStored(AUDIT_WAIT);
    Optional<DecisionRecord> found = DecisionIds.time(id).flatMap(at -> log.find(id, at));
    DecisionRecord r =
        found.orElseThrow(
            () ->
                new ApiProblem(
                    ErrorCode.NOT_FOUND, "no decision `" + decisionId + "` was recorded"));
    ObjectNode out = summary(r);
    out.set("request", stored(r.request()));
    out.set("answer", stored(r.answer()));
    return out;
  }

  private static JsonNode stored(String json) {
    try {
      return StrictJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a logged decision is unreadable", e);
    }
  }

  static void checkSize(String body) {
    checkSize(body, MAX_DECISION_BODY, "a decision request");
  }

  /** What is said of one request of a batch past the limit of a request that comes alone. */
  static String tooLong(String text) {
    return tooLong("a decision request", MAX_DECISION_BODY, text);
  }

  static void checkSize(String body, int limit, String what) {
    if (body != null && body.length() > limit) {
      throw new ApiProblem(ErrorCode.PAYLOAD_TOO_LARGE, tooLong(what, limit, body));
    }
  }

  private static String tooLong(String what, int limit, String text) {
    return what + " is at most " + limit + " characters; this one has " + text.length();
  }

  private static ObjectNode summary(DecisionRecord r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("decisionId", r.decisionId().toString());
    o.put("decidedAt", r.decidedAt().toString());
    o.put("caller", r.caller());
    o.put("principal", r.principal());
    o.put("operation", r.operation());
    o.put("instanceArn", r.instanceArn());
    if (r.roleArn() == null) {
      o.putNull("roleArn");
    } else {
      o.put("roleArn", r.roleArn());
    }
    o.put("decision", r.decision());
    o.put("allowed", r.allowed());
    o.put("revision", r.revision());
    if (r.node() == null) {
      o.putNull("node");
    } else {
      o.put("node", r.node());
    }
    return o;
  }
}
