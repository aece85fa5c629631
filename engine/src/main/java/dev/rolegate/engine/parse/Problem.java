package dev.rolegate.engine.parse;

/**
 * One thing wrong with an input, at a JSON path such as {@code Statement[1].Condition.StringLike}
 * (empty for the document itself). Messages are lower case and name user input in backticks.
 */
public record Problem(String path, String message) {
  /** The same problem under a parent path, e.g. {@code identityPolicies[0]}. */
  public Problem under(String parent) {
    if (parent.isEmpty()) {
      return this;
    }
    return new Problem(path.isEmpty() ? parent : parent + "." + path, message);
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
