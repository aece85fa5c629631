package dev.rolegate.engine.operation;

/**
 * Something about the request that is not part of the caller's permission but decides whether the
 * call can work: for example, a role that EC2 cannot assume.
 */
public record Finding(Kind kind, String message) {
  /** The findings rolegate reports, with stable snake_case codes. */
  public enum Kind {
    ROLE_NOT_TRUSTED_BY_EC2("role_not_trusted_by_ec2"),
    ROLE_IN_NO_INSTANCE_PROFILE("role_in_no_instance_profile"),
    ROLE_IN_OTHER_ACCOUNT("role_in_other_account"),
    INSTANCE_IN_OTHER_ACCOUNT("instance_in_other_account"),
    PASSROLE_CONDITION_ON_ROLE_TAGS("passrole_condition_on_role_tags");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
