package dev.rolegate.engine.policy;

/**
 * The policy language version. Only {@code 2012-10-17} knows policy variables; under {@code
 * 2008-10-17}, or with no Version at all, {@code ${aws:username}} is literal text.
 */
public enum PolicyLanguage {
  V2012_10_17("2012-10-17"),
  V2008_10_17("2008-10-17"),
  UNSPECIFIED(null);

  private final String text;

  PolicyLanguage(String text) {
    this.text = text;
  }

  /** The Version element's value, or null when the document has none. */
  public String text() {
    return text;
  }

  public boolean hasVariables() {
    return this == V2012_10_17;
  }
}
