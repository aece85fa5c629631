package dev.rolegate.engine.policy;

/**
 * Where a document is used; it decides which elements are allowed. Identity-side documents
 * (identity, boundary, SCP, session) must not name a principal; trust and resource policies must.
 */
public enum PolicyKind {
  IDENTITY,
  PERMISSIONS_BOUNDARY,
  SERVICE_CONTROL,
  SESSION,
  TRUST,
  RESOURCE;

  public boolean requiresPrincipal() {
    return this == TRUST || this == RESOURCE;
  }
}
