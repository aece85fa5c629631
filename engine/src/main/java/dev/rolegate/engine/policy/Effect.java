package dev.rolegate.engine.policy;

/** A statement's effect; IAM spells it exactly {@code Allow} or {@code Deny}. */
public enum Effect {
  ALLOW("Allow"),
  DENY("Deny");

  private final String text;

  Effect(String text) {
    this.text = text;
  }

  /** The spelling used in policy documents. */
  public String text() {
    return text;
  }
}
