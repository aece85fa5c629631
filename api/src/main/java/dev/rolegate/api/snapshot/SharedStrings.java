package dev.rolegate.api.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rolegate.engine.parse.PartPool;

/**
 * A pool of strings for loading an account whole, and a JSON reader whose every string value is
 * shared with equal strings read before from the same pool. The parsed policies keep their action
 * names, ARNs and condition values, and across a large account most of them repeat ({@code
 * s3:GetObject}, {@code *}, a bucket's ARN): held once, they take a fraction of the memory. Field
 * names are shared by Jackson already.
 */
final class SharedStrings extends JsonNodeFactory {
  private final PartPool pool;

  /** Strings shared through the pool, with whatever else it holds. */
  SharedStrings(PartPool pool) {
    this.pool = pool;
  }

  /** A reader whose strings come from this pool: the pool lives as long as the reader. */
  ObjectMapper reader() {
    return new ObjectMapper().setNodeFactory(this);
  }

  @Override
  public TextNode textNode(String text) {
    return text == null ? super.textNode(null) : super.textNode(shared(text));
  }

  /** The pool's string equal to this one, which it becomes when new. */
  String shared(String text) {
    return pool.shared(text);
  }
}
