package dev.rolegate.engine.eval;

/**
 * Where a policy comes from, in the simulator's words ({@code user}, {@code group}, {@code role}
 * for inline policies; {@code aws-managed}, {@code user-managed} for managed ones), plus the
 * organization and session kinds the simulator does not name.
 */
public enum PolicySourceType {
  USER("user"),
  GROUP("group"),
  ROLE("role"),
  AWS_MANAGED("aws-managed"),
  USER_MANAGED("user-managed"),
  SERVICE_CONTROL("scp"),
  SESSION("session"),
  RESOURCE("resource"),
  NONE("none");

  private final String wireName;

  PolicySourceType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
