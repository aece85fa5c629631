package dev.rolegate.engine.match;

/** Where policy variables take their values: the request context. */
public interface VariableSource {
  /**
   * The single value of a key given in lower case, or null when the key is absent or has several
   * values (a multivalued key cannot be a variable).
   */
  String singleValue(String lowerCaseKey);
}
