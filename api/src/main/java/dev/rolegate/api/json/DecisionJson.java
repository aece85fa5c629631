package dev.rolegate.api.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders engine decisions as the JSON answer of design.md. */
public final class DecisionJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private DecisionJson() {}

  /**
   * The decision answer. {@code remedy} is the policy to add to the first layer that needs one (the
   * identity policies when they lack the grant); {@code remedyByLayer} lists every layer's; {@code
   * requiredChanges} names the Deny statements that only a change can lift.
   */
  public static ObjectNode decision(InstanceProfileDecision d) {
    ObjectNode out = NODES.objectNode();
    out.put("allowed", d.allowed());
    out.put("decision", d.decision().wireName());
    ArrayNode checks = out.putArray("checks");
    d.checks().forEach(c -> checks.add(check(c)));
    ArrayNode findings = out.putArray("findings");
    for (Finding f : d.findings()) {
      findings.addObject().put("code", f.kind().code()).put("message", f.message());
    }
    out.put("explanation", d.explanation());
    d.remedy().ifPresent(r -> remedy(r, out));
    return out;
  }

  private static void remedy(Remedy remedy, ObjectNode out) {
    if (remedy.fixableByAllow()) {
      List<ObjectNode> byLayer = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (Grant g : remedy.grants()) {
        String key = g.layer() + "/" + g.level();
        if (seen.contains(key)) {
          continue;
        }
        seen.add(key);
        ObjectNode layer = NODES.objectNode();
        layer.put("layer", g.layer().wireName());
        if (g.layer() == Layer.SERVICE_CONTROL) {
          layer.put("level", g.level());
        }
        layer.set("policy", policy(remedy.statementsFor(g.layer(), g.level())));
        byLayer.add(layer);
      }
      out.set("remedy", byLayer.get(0).get("policy"));
      out.putArray("remedyByLayer").addAll(byLayer);
    }
    if (!remedy.requiredChanges().isEmpty()) {
      ArrayNode changes = out.putArray("requiredChanges");
      for (RequiredChange c : remedy.requiredChanges()) {
        ObjectNode n = changes.addObject();
        n.set("statement", statement(c.statement()));
        n.put("action", c.action());
        n.put("resource", c.resource());
        n.put("reason", c.reason());
      }
    }
  }

  private static ObjectNode policy(List<RemedyStatement> statements) {
    ObjectNode doc = NODES.objectNode();
    doc.put("Version", "2012-10-17");
    ArrayNode list = doc.putArray("Statement");
    for (RemedyStatement s : statements) {
      ObjectNode n = list.addObject();
      n.put("Sid", s.sid());
      n.put("Effect", "Allow");
      n.put("Action", s.action());
      n.put("Resource", s.resource());
      if (!s.condition().isEmpty()) {
        ObjectNode condition = n.putObject("Condition");
        for (Map.Entry<String, Map<String, String>> op : s.condition().entrySet()) {
          ObjectNode keys = condition.putObject(op.getKey());
          op.getValue().forEach(keys::put);
        }
      }
    }
    return doc;
  }

  /** One check with its reasoning. */
  public static ObjectNode check(CheckResult c) {
    ObjectNode n = NODES.objectNode();
    n.put("action", c.action());
    n.put("resource", c.resource());
    n.put("decision", c.decision().wireName());
    ArrayNode matched = n.putArray("matchedStatements");
    c.matchedStatements().forEach(m -> matched.add(statement(m)));
    ArrayNode missing = n.putArray("missingContextValues");
    c.missingContextValues().forEach(missing::add);
    ArrayNode layers = n.putArray("layers");
    for (LayerResult r : c.layers()) {
      ObjectNode l = layers.addObject();
      l.put("layer", r.layer().wireName());
      if (r.layer() == Layer.SERVICE_CONTROL) {
        l.put("level", r.level());
      }
      l.put("decision", r.decision().wireName());
    }
    n.put("allowedByPermissionsBoundary", c.allowedByPermissionsBoundary());
    n.put("allowedByOrganizations", c.allowedByOrganizations());
    ArrayNode nearMisses = n.putArray("nearMisses");
    for (NearMiss m : c.nearMisses()) {
      ObjectNode nm = nearMisses.addObject();
      nm.set("statement", statement(m.statement()));
      ArrayNode failed = nm.putArray("failedConditions");
      for (ConditionFailure f : m.failedConditions()) {
        ObjectNode fn = failed.addObject();
        fn.put("operator", f.operator());
        fn.put("key", f.key());
        ArrayNode pv = fn.putArray("policyValues");
        f.policyValues().forEach(pv::add);
        if (f.keyMissing()) {
          fn.putNull("requestValues");
        } else {
          ArrayNode rv = fn.putArray("requestValues");
          f.requestValues().forEach(rv::add);
        }
      }
    }
    return n;
  }

  /** A statement reference: policy, type, version, layer, index, Sid and effect. */
  public static ObjectNode statement(MatchedStatement m) {
    ObjectNode s = NODES.objectNode();
    s.put("sourcePolicyId", m.sourcePolicyId());
    s.put("sourcePolicyType", m.sourcePolicyType().wireName());
    m.versionId().ifPresent(v -> s.put("versionId", v));
    s.put("layer", m.layer().wireName());
    if (m.layer() == Layer.SERVICE_CONTROL) {
      s.put("level", m.level());
    }
    s.put("statementIndex", m.statementIndex());
    m.sid().ifPresent(sid -> s.put("sid", sid));
    s.put("effect", m.effect().text());
    return s;
  }
}
