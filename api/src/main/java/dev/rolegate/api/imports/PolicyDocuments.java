package dev.rolegate.api.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.imports.PercentDecoder.Decoding;
import dev.rolegate.api.problem.ProblemList;
import dev.rolegate.api.problem.StrictJson;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyLimits;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import java.util.Optional;

/**
 * Policy documents as the authorization details carry them: a JSON object (the CLI decodes them), a
 * string holding JSON, or a percent-encoded string (the raw API and the Java SDK).
 */
final class PolicyDocuments {
  private PolicyDocuments() {}

  /**
   * The document at {@code path} as a JSON tree, validated as a policy of the given kind (and held
   * to the API's length when {@code capped}). Empty when it is not a JSON object; its policy
   * problems are reported but do not empty the result, so that callers can still measure it.
   */
  static Optional<JsonNode> read(
      JsonNode value, String path, PolicyKind kind, boolean capped, ProblemList problems) {
    Optional<JsonNode> tree = tree(value, path, problems);
    tree.ifPresent(
        t -> {
          PolicyLimits.characterProblem(compact(t), capped)
              .ifPresent(p -> problems.add(p.under(path)));
          if (PolicyParser.parse(t, kind) instanceof ParseResult.Invalid invalid) {
            invalid.problems().forEach(p -> problems.add(p.under(path)));
          }
        });
    return tree.filter(JsonNode::isObject);
  }

  /**
   * The document as IAM measures it: without whitespace between tokens. Whichever encoding came in,
   * the same tree gives the same text, so limits do not depend on the encoding.
   */
  static String compact(JsonNode document) {
    return document.toString();
  }

  private static Optional<JsonNode> tree(JsonNode value, String path, ProblemList problems) {
    if (value.isObject()) {
      // A copy: the state must not change when the caller reuses its tree.
      return Optional.of(value.deepCopy());
    }
    if (!value.isTextual()) {
      problems.add(
          path,
          "a policy document must be a JSON object or a string, not " + Fields.describe(value));
      return Optional.empty();
    }
    String text = value.asText();
    // Percent-encoded JSON starts with `%7B`; JSON text starts with `{` (after any whitespace).
    if (text.strip().startsWith("{")) {
      return parse(text, path, problems);
    }
    return switch (PercentDecoder.decode(text)) {
      case Decoding.Decoded decoded -> parse(decoded.text(), path, problems);
      case Decoding.Malformed malformed -> {
        problems.add(path, malformed.message());
        yield Optional.empty();
      }
    };
  }

  private static Optional<JsonNode> parse(String json, String path, ProblemList problems) {
    try {
      JsonNode node = StrictJson.MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        problems.add(path, "the policy document is empty");
        return Optional.empty();
      }
      return Optional.of(node);
    } catch (JsonProcessingException e) {
      String where = StrictJson.where(e);
      problems.add(
          path, "the policy document is malformed JSON" + where + ": " + StrictJson.reason(e));
      return Optional.empty();
    }
  }
}
