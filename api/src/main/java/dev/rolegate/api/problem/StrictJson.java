package dev.rolegate.api.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads request bodies strictly: duplicate keys, trailing content and deep nesting are errors; and
 * walks objects field by field so that an unknown field or a wrong type is reported at its JSON
 * path instead of being ignored.
 */
public final class StrictJson {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  private StrictJson() {}

  /** The body as JSON, or a {@code malformed_json} problem naming the line and column. */
  public static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      throw new ApiProblem(
          ErrorCode.MALFORMED_JSON, "the request body is empty; send a JSON object");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String where = where(e);
      throw new ApiProblem(
          ErrorCode.MALFORMED_JSON, "the body is not valid JSON" + where + ": " + reason(e));
    }
  }

  /**
   * What is wrong, for a person: the reader's message without the names of its code (its limits'
   * methods, the features that would allow what it refused, the type it reads into), which mean
   * nothing to a client: "Document nesting depth (65) exceeds the maximum allowed (64)",
   * "Non-standard token 'NaN'", "Trailing token (of type START_OBJECT) found after value: not
   * allowed".
   */
  public static String reason(JsonProcessingException e) {
    return e.getOriginalMessage()
        .replaceAll(",? from `StreamReadConstraints\\.[^`]*`", "")
        .replaceAll(" \\(bound as `[^`]*`\\)", "")
        .replaceAll(" as per `[^`]*`", "")
        .replaceAll(": enable `[^`]*` to allow", "")
        .replaceAll(
            "maybe a \\(non-standard\\) comment\\? \\(not recognized as one since Feature '[^']*'"
                + " not enabled for parser\\)",
            "a comment, which JSON does not have")
        .replaceAll(
            "Trailing token \\(of type [A-Z_]+\\) found after value: not allowed",
            "more JSON after the value: send one value")
        .replaceAll("\\[Source: .*?; (line: \\d+, column: \\d+)\\]", "$1");
  }

  /** Where a JSON error is, for a person: " at line L, column C" (empty when unknown). */
  public static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** The body as a JSON object, else a problem. */
  public static ObjectNode parseObject(String body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw new ApiProblem(
          ErrorCode.INVALID_REQUEST, "the body must be a JSON object, not " + kind(node));
    }
    return (ObjectNode) node;
  }

  /** A person's word for a JSON value's type. */
  public static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Reads the fields of one object, reporting into {@link Issues}. */
  public static final class Fields {
    private final ObjectNode node;
    private final String path;
    private final Issues issues;

    public Fields(ObjectNode node, String path, Issues issues) {
      this.node = node;
      this.path = path;
      this.issues = issues;
    }

    /** Reports every field that is not one of {@code allowed}. */
    public Fields allow(Set<String> allowed) {
      node.fieldNames()
          .forEachRemaining(
              f -> {
                if (!allowed.contains(f)) {
                  issues.add(
                      ErrorCode.UNKNOWN_FIELD,
                      at(f),
                      "unknown field `" + f + "`; expected one of " + listed(allowed));
                }
              });
      return this;
    }

    public String at(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    public Optional<JsonNode> value(String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    public Optional<String> text(String field, boolean required) {
      Optional<JsonNode> v = value(field);
      if (v.isEmpty()) {
        if (required) {
          issues.add(ErrorCode.INVALID_REQUEST, at(field), "`" + field + "` is required");
        }
        return Optional.empty();
      }
      if (!v.get().isTextual()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at(field),
            "`" + field + "` must be a string, not " + kind(v.get()));
        return Optional.empty();
      }
      return Optional.of(v.get().textValue());
    }

    public Optional<Boolean> bool(String field) {
      Optional<JsonNode> v = value(field);
      if (v.isPresent() && !v.get().isBoolean()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at(field),
            "`" + field + "` must be true or false, not " + kind(v.get()));
        return Optional.empty();
      }
      return v.map(JsonNode::booleanValue);
    }

    public Optional<ObjectNode> object(String field, boolean required) {
      Optional<JsonNode> v = value(field);
      if (v.isEmpty()) {
        if (required) {
          issues.add(ErrorCode.INVALID_REQUEST, at(field), "`" + field + "` is required");
        }
        return Optional.empty();
      }
      if (!v.get().isObject()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at(field),
            "`" + field + "` must be an object, not " + kind(v.get()));
        return Optional.empty();
      }
      return Optional.of((ObjectNode) v.get());
    }

    /** A list of strings (absent: empty). */
    public List<String> strings(String field) {
      List<String> out = new ArrayList<>();
      Optional<JsonNode> v = value(field);
      if (v.isEmpty()) {
        return out;
      }
      if (!v.get().isArray()) {
        issues.add(
            ErrorCode.INVALID_REQUEST,
            at(field),
            "`" + field + "` must be an array of strings, not " + kind(v.get()));
        return out;
      }
      for (int i = 0; i < v.get().size(); i++) {
        JsonNode e = v.get().get(i);
        if (e.isTextual()) {
          out.add(e.textValue());
        } else {
          issues.add(
              ErrorCode.INVALID_REQUEST,
              at(field) + "[" + i + "]",
              "must be a string, not " + kind(e));
        }
      }
      return out;
    }

    private static String listed(Set<String> names) {
      return names.stream()
          .sorted()
          .map(n -> "`" + n + "`")
          .reduce((a, b) -> a + ", " + b)
          .orElse("none");
    }
  }
}
