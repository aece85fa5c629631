package dev.rolegate.api.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.problem.ProblemList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One JSON object of the input and its path. Reading a field checks its type and reports a wrong
 * one at the field's path, so callers only handle values that are there and well typed. A JSON
 * {@code null} counts as absent, as SDKs write absent optional fields that way.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final ProblemList problems;

  private Fields(JsonNode node, String path, ProblemList problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /**
   * The object at {@code path}, empty (and reported) when the node is not an object. Fields not in
   * {@code allowed} are reported: an unknown field may carry meaning rolegate would miss.
   */
  static Optional<Fields> of(
      JsonNode node, String path, Set<String> allowed, ProblemList problems) {
    if (!node.isObject()) {
      problems.add(path, "expected a JSON object, not " + describe(node));
      return Optional.empty();
    }
    Fields fields = new Fields(node, path, problems);
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!allowed.contains(name)) {
                problems.add(fields.path(name), "unknown field `" + name + "`: " + known(allowed));
              }
            });
    return Optional.of(fields);
  }

  String path() {
    return path;
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  Optional<JsonNode> value(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  Optional<String> text(String field) {
    return value(field).flatMap(v -> text(v, path(field)));
  }

  /** Like {@link #text}, and reports the field's absence. */
  Optional<String> requiredText(String field) {
    if (value(field).isEmpty()) {
      problems.add(path, "the field `" + field + "` is missing");
    }
    return text(field);
  }

  boolean bool(String field) {
    Optional<JsonNode> value = value(field);
    if (value.isPresent() && !value.get().isBoolean()) {
      problems.add(
          path(field), "`" + field + "` must be true or false, not " + describe(value.get()));
      return false;
    }
    return value.map(JsonNode::asBoolean).orElse(false);
  }

  /** The object in {@code field}, if there is one. */
  Optional<Fields> object(String field, Set<String> allowed) {
    return value(field).flatMap(v -> of(v, path(field), allowed, problems));
  }

  /** The objects of the array in {@code field}; an absent field is an empty array. */
  List<Fields> objects(String field, Set<String> allowed) {
    List<Fields> out = new ArrayList<>();
    List<JsonNode> elements = array(field);
    for (int i = 0; i < elements.size(); i++) {
      of(elements.get(i), element(field, i), allowed, problems).ifPresent(out::add);
    }
    return out;
  }

  /** A string in an array, with its path. */
  record Located(String path, String value) {}

  /** The strings of the array in {@code field}; an absent field is an empty array. */
  List<Located> texts(String field) {
    List<Located> out = new ArrayList<>();
    List<JsonNode> elements = array(field);
    for (int i = 0; i < elements.size(); i++) {
      String at = element(field, i);
      text(elements.get(i), at).ifPresent(t -> out.add(new Located(at, t)));
    }
    return out;
  }

  /** The number of elements, counting those of a wrong type too, for limits. */
  int size(String field) {
    return value(field).filter(JsonNode::isArray).map(JsonNode::size).orElse(0);
  }

  private List<JsonNode> array(String field) {
    Optional<JsonNode> value = value(field);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!value.get().isArray()) {
      problems.add(path(field), "`" + field + "` must be an array, not " + describe(value.get()));
      return List.of();
    }
    List<JsonNode> elements = new ArrayList<>();
    value.get().elements().forEachRemaining(elements::add);
    return elements;
  }

  private String element(String field, int index) {
    return path(field) + "[" + index + "]";
  }

  private Optional<String> text(JsonNode value, String at) {
    if (!value.isTextual()) {
      problems.add(at, "expected a string, not " + describe(value));
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private static String known(Set<String> allowed) {
    return "expected "
        + new TreeSet<>(allowed).stream().map(f -> "`" + f + "`").collect(Collectors.joining(", "));
  }

  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT, POJO -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case BINARY -> "binary data";
      case MISSING -> "nothing";
    };
  }
}
