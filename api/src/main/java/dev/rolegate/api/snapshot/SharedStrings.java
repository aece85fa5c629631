package dev.rolegate.api.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JSON reader for loading an account whole: every string value it reads is shared with equal
 * strings read before by the same reader. The parsed policies keep their action names, ARNs and
 * condition values, and across a large account most of them repeat ({@code s3:GetObject}, {@code
 * *}, a bucket's ARN): held once, they take a fraction of the memory. Field names are shared by
 * Jackson already.
 */
final class SharedStrings extends JsonNodeFactory {
  private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();

  private SharedStrings() {}

  /** A reader with a pool of its own: the pool lives as long as the reader. */
  static ObjectMapper reader() {
    return new ObjectMapper().setNodeFactory(new SharedStrings());
  }

  @Override
  public TextNode textNode(String text) {
    return text == null ? super.textNode(null) : super.textNode(shared(text));
  }

  /** Most strings are seen before: a lock-free get first, then a put only for the new ones. */
  private String shared(String text) {
    String known = strings.get(text);
    if (known != null) {
      return known;
    }
    known = strings.putIfAbsent(text, text);
    return known != null ? known : text;
  }
}
