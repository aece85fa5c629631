package dev.rolegate.engine.eval;

/** The outcome of a check, in the IAM policy simulator's words. */
public enum Decision {
  ALLOWED("allowed"),
  EXPLICIT_DENY("explicitDeny"),
  IMPLICIT_DENY("implicitDeny");

  private final String wireName;

  Decision(String wireName) {
    this.wireName = wireName;
  }

  /** {@code allowed}, {@code explicitDeny} or {@code implicitDeny}. */
  public String wireName() {
    return wireName;
  }

  public static java.util.Optional<Decision> fromWireName(String name) {
    for (Decision d : values()) {
      if (d.wireName.equals(name)) {
        return java.util.Optional.of(d);
      }
    }
    return java.util.Optional.empty();
  }
}
