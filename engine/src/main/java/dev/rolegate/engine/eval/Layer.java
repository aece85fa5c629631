package dev.rolegate.engine.eval;

/** The kinds of policy that each must allow a request, and any of which can deny it. */
public enum Layer {
  IDENTITY("identity"),
  PERMISSIONS_BOUNDARY("permissionsBoundary"),
  SERVICE_CONTROL("scp"),
  SESSION("session");

  private final String wireName;

  Layer(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
