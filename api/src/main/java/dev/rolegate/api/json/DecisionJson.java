package dev.rolegate.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.rolegate.api.snapshot.StoreFinding;
import dev.rolegate.engine.condition.ConditionFailure;
import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.Layer;
import dev.rolegate.engine.eval.LayerResult;
import dev.rolegate.engine.eval.MatchedStatement;
import dev.rolegate.engine.eval.NearMiss;
import dev.rolegate.engine.operation.Finding;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.remedy.Grant;
import dev.rolegate.engine.remedy.Remedy;
import dev.rolegate.engine.remedy.RemedyStatement;
import dev.rolegate.engine.remedy.RequiredChange;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Renders engine decisions as the JSON answer of design.md. The answer is streamed straight to
 * text, without building a tree first: it is written for every decision, on the request thread. The
 * tree forms, for the CLI and the simulation endpoint, replay the same writer.
 */
public final class DecisionJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private DecisionJson() {}

  /** What the service adds to the engine's decision: its id, the revision, the store's findings. */
  public record Recorded(UUID decisionId, long revision, List<StoreFinding> storeFindings) {}

  /** The answer of a decision endpoint, as text: the engine's decision with what was recorded. */
  public static String answer(InstanceProfileDecision d, Recorded recorded) {
    StringWriter out = new StringWriter(2048);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      decision(g, d, recorded);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a decision", e);
    }
    return out.toString();
  }

  /** The engine's decision alone, as a tree. */
  public static ObjectNode decision(InstanceProfileDecision d) {
    return tree(g -> decision(g, d, null));
  }

  /** One check with its reasoning, as a tree. */
  public static ObjectNode check(CheckResult c) {
    return tree(g -> check(g, c));
  }

  private interface Writing {
    void write(JsonGenerator g) throws IOException;
  }

  private static ObjectNode tree(Writing writing) {
    try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
      writing.write(buffer);
      JsonNode tree = MAPPER.readTree(buffer.asParser());
      return (ObjectNode) tree;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a decision", e);
    }
  }

  /**
   * The decision answer. {@code remedy} is the policy to add to the first layer that needs one (the
   * identity policies when they lack the grant); {@code remedyByLayer} lists every layer's; {@code
   * requiredChanges} names the Deny statements that only a change can lift. With {@code recorded}
   * (null for the engine's decision alone), the id and revision come first, as design.md shows.
   */
  private static void decision(JsonGenerator g, InstanceProfileDecision d, Recorded recorded)
      throws IOException {
    g.writeStartObject();
    if (recorded != null) {
      g.writeStringField("decisionId", recorded.decisionId().toString());
    }
    g.writeBooleanField("allowed", d.allowed());
    g.writeStringField("decision", d.decision().wireName());
    if (recorded != null) {
      g.writeNumberField("revision", recorded.revision());
    }
    g.writeArrayFieldStart("checks");
    for (CheckResult c : d.checks()) {
      check(g, c);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("findings");
    for (Finding f : d.findings()) {
      finding(g, f.kind().code(), f.message());
    }
    if (recorded != null) {
      for (StoreFinding f : recorded.storeFindings()) {
        finding(g, f.code(), f.message());
      }
    }
    g.writeEndArray();
    g.writeStringField("explanation", d.explanation());
    if (d.remedy().isPresent()) {
      remedy(g, d.remedy().get());
    }
    g.writeEndObject();
  }

  private static void finding(JsonGenerator g, String code, String message) throws IOException {
    g.writeStartObject();
    g.writeStringField("code", code);
    g.writeStringField("message", message);
    g.writeEndObject();
  }

  private static void remedy(JsonGenerator g, Remedy remedy) throws IOException {
    if (remedy.fixableByAllow()) {
      List<Grant> layers = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (Grant grant : remedy.grants()) {
        if (!seen.contains(grant.layer() + "/" + grant.level())) {
          seen.add(grant.layer() + "/" + grant.level());
          layers.add(grant);
        }
      }
      Grant first = layers.get(0);
      g.writeFieldName("remedy");
      policy(g, remedy.statementsFor(first.layer(), first.level()));
      g.writeArrayFieldStart("remedyByLayer");
      for (Grant layer : layers) {
        g.writeStartObject();
        g.writeStringField("layer", layer.layer().wireName());
        if (layer.layer() == Layer.SERVICE_CONTROL) {
          g.writeNumberField("level", layer.level());
        }
        g.writeFieldName("policy");
        policy(g, remedy.statementsFor(layer.layer(), layer.level()));
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!remedy.requiredChanges().isEmpty()) {
      g.writeArrayFieldStart("requiredChanges");
      for (RequiredChange c : remedy.requiredChanges()) {
        g.writeStartObject();
        g.writeFieldName("statement");
        statement(g, c.statement());
        g.writeStringField("action", c.action());
        g.writeStringField("resource", c.resource());
        g.writeStringField("reason", c.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private static void policy(JsonGenerator g, List<RemedyStatement> statements) throws IOException {
    g.writeStartObject();
    g.writeStringField("Version", "2012-10-17");
    g.writeArrayFieldStart("Statement");
    for (RemedyStatement s : statements) {
      g.writeStartObject();
      g.writeStringField("Sid", s.sid());
      g.writeStringField("Effect", "Allow");
      g.writeStringField("Action", s.action());
      g.writeStringField("Resource", s.resource());
      if (!s.condition().isEmpty()) {
        g.writeObjectFieldStart("Condition");
        for (Map.Entry<String, Map<String, String>> op : s.condition().entrySet()) {
          g.writeObjectFieldStart(op.getKey());
          for (Map.Entry<String, String> key : op.getValue().entrySet()) {
            g.writeStringField(key.getKey(), key.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void check(JsonGenerator g, CheckResult c) throws IOException {
    g.writeStartObject();
    g.writeStringField("action", c.action());
    g.writeStringField("resource", c.resource());
    g.writeStringField("decision", c.decision().wireName());
    g.writeArrayFieldStart("matchedStatements");
    for (MatchedStatement m : c.matchedStatements()) {
      statement(g, m);
    }
    g.writeEndArray();
    strings(g, "missingContextValues", c.missingContextValues());
    g.writeArrayFieldStart("layers");
    for (LayerResult r : c.layers()) {
      g.writeStartObject();
      g.writeStringField("layer", r.layer().wireName());
      if (r.layer() == Layer.SERVICE_CONTROL) {
        g.writeNumberField("level", r.level());
      }
      g.writeStringField("decision", r.decision().wireName());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeBooleanField("allowedByPermissionsBoundary", c.allowedByPermissionsBoundary());
    g.writeBooleanField("allowedByOrganizations", c.allowedByOrganizations());
    g.writeArrayFieldStart("nearMisses");
    for (NearMiss m : c.nearMisses()) {
      g.writeStartObject();
      g.writeFieldName("statement");
      statement(g, m.statement());
      g.writeArrayFieldStart("failedConditions");
      for (ConditionFailure f : m.failedConditions()) {
        g.writeStartObject();
        g.writeStringField("operator", f.operator());
        g.writeStringField("key", f.key());
        strings(g, "policyValues", f.policyValues());
        if (f.keyMissing()) {
          g.writeNullField("requestValues");
        } else {
          strings(g, "requestValues", f.requestValues());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A statement reference: policy, type, version, layer, index, Sid and effect. */
  private static void statement(JsonGenerator g, MatchedStatement m) throws IOException {
    g.writeStartObject();
    g.writeStringField("sourcePolicyId", m.sourcePolicyId());
    g.writeStringField("sourcePolicyType", m.sourcePolicyType().wireName());
    if (m.versionId().isPresent()) {
      g.writeStringField("versionId", m.versionId().get());
    }
    g.writeStringField("layer", m.layer().wireName());
    if (m.layer() == Layer.SERVICE_CONTROL) {
      g.writeNumberField("level", m.level());
    }
    g.writeNumberField("statementIndex", m.statementIndex());
    if (m.sid().isPresent()) {
      g.writeStringField("sid", m.sid().get());
    }
    g.writeStringField("effect", m.effect().text());
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
