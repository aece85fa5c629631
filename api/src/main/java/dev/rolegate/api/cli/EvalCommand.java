package dev.rolegate.api.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.json.DecisionJson;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.api.problem.StrictText;
import dev.rolegate.engine.cases.CaseEntry;
import dev.rolegate.engine.cases.CaseReader;
import dev.rolegate.engine.cases.EvaluationCase;
import dev.rolegate.engine.cases.OperationCase;
import dev.rolegate.engine.eval.Authorizer;
import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.MatchedStatement;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code eval CASES.json [--check]}: evaluates a case file offline and prints one JSON line per
 * case. Exit codes: 0 done (and, with --check, every case as expected), 1 a case differs from its
 * expectation, 2 the command line or the file is unusable.
 */
public final class EvalCommand {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private EvalCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean check = false;
    String file = null;
    for (String a : args) {
      if (a.equals("--check")) {
        check = true;
      } else if (a.startsWith("-")) {
        err.println("rolegate eval: unknown option `" + a + "`");
        return 2;
      } else if (file == null) {
        file = a;
      } else {
        err.println("rolegate eval: give one case file, not `" + file + "` and `" + a + "`");
        return 2;
      }
    }
    if (file == null) {
      err.println("rolegate eval: give a case file: rolegate eval CASES.json [--check]");
      return 2;
    }
    JsonNode root;
    try {
      byte[] bytes = Files.readAllBytes(Path.of(file));
      Optional<String> invalid = StrictText.firstInvalid(bytes, StandardCharsets.UTF_8);
      if (invalid.isPresent()) {
        err.println("rolegate eval: " + file + ": not valid UTF-8 at " + invalid.get());
        return 2;
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        err.println(
            "rolegate eval: "
                + file
                + ": the file is empty; a case file is a JSON object with a"
                + " `cases` array");
        return 2;
      }
      root = JSON.readTree(text);
    } catch (NoSuchFileException e) {
      err.println("rolegate eval: " + file + ": no such file");
      return 2;
    } catch (JsonProcessingException e) {
      String where = StrictJson.where(e);
      err.println(
          "rolegate eval: " + file + ": malformed JSON" + where + ": " + StrictJson.reason(e));
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("rolegate eval: " + file + ": cannot read the file: " + e.getMessage());
      return 2;
    }
    List<CaseEntry> entries;
    try {
      entries = CaseReader.read(root);
    } catch (CaseReader.NotACaseFile e) {
      err.println("rolegate eval: " + file + ": " + e.getMessage());
      return 2;
    }

    List<String> mismatches = new ArrayList<>();
    JsonNode cases = root.get("cases");
    for (int i = 0; i < entries.size(); i++) {
      CaseEntry entry = entries.get(i);
      ObjectNode line = JSON.createObjectNode();
      line.put("id", entry.id());
      JsonNode raw = cases.get(i);
      switch (entry) {
        case CaseEntry.Valid v -> {
          EvaluationCase c = v.evaluationCase();
          CheckResult result = Authorizer.authorize(c.request(), c.policies());
          line.put("decision", result.decision().wireName());
          ArrayNode matched = line.putArray("matched");
          for (MatchedStatement m : result.matchedStatements()) {
            ObjectNode s = matched.addObject();
            s.put("policy", m.sourcePolicyId());
            s.put("statementIndex", m.statementIndex());
            m.sid().ifPresent(sid -> s.put("sid", sid));
            s.put("effect", m.effect().text());
          }
          if (!result.missingContextValues().isEmpty()) {
            ArrayNode missing = line.putArray("missingContextValues");
            result.missingContextValues().forEach(missing::add);
          }
          if (check && c.expected().isPresent() && c.expected().get() != result.decision()) {
            mismatches.add(
                entry.id()
                    + ": expected "
                    + c.expected().get().wireName()
                    + ", got "
                    + result.decision().wireName());
          }
          if (check && raw.has("expectedError")) {
            mismatches.add(entry.id() + ": expected an error, got " + result.decision().wireName());
          }
        }
        case CaseEntry.ValidOperation v -> {
          OperationCase c = v.operationCase();
          InstanceProfileDecision decision =
              InstanceProfileAuthorizer.authorize(c.request(), c.policies());
          line.setAll(DecisionJson.decision(decision));
          if (check && c.expected().isPresent() && c.expected().get() != decision.decision()) {
            mismatches.add(
                entry.id()
                    + ": expected "
                    + c.expected().get().wireName()
                    + ", got "
                    + decision.decision().wireName());
          }
        }
        case CaseEntry.Invalid inv -> {
          line.putNull("decision");
          ObjectNode error = line.putObject("error");
          error.put("code", inv.error().code());
          error.put("message", inv.error().message());
          error.put("path", inv.error().path());
          if (check) {
            JsonNode expectedError = raw.path("expectedError");
            if (expectedError.isObject()) {
              String code = expectedError.path("code").asText(null);
              String path = expectedError.path("path").asText(null);
              if ((code != null && !code.equals(inv.error().code()))
                  || (path != null && !path.equals(inv.error().path()))) {
                mismatches.add(
                    entry.id()
                        + ": expected error "
                        + expectedError
                        + ", got "
                        + inv.error().code()
                        + " at "
                        + inv.error().path());
              }
            } else if (raw.has("expected")) {
              mismatches.add(entry.id() + ": the case is invalid (" + inv.error().message() + ")");
            }
          }
        }
      }
      out.println(line);
    }
    if (check) {
      if (!mismatches.isEmpty()) {
        err.println(
            "rolegate eval: " + mismatches.size() + " of " + entries.size() + " cases differ:");
        mismatches.forEach(m -> err.println("  " + m));
        return 1;
      }
      err.println("rolegate eval: all " + entries.size() + " cases as expected");
    }
    return 0;
  }
}
