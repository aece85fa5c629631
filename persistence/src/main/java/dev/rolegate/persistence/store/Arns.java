package dev.rolegate.persistence.store;

/**
 * ARNs of stored entities, built the way IAM builds them: {@code
 * arn:aws:iam::ACCOUNT:KIND/PATH/NAME}.
 */
public final class Arns {
  private Arns() {}

  public static String user(String accountId, String path, String name) {
    return iam(accountId, "user", path, name);
  }

  public static String group(String accountId, String path, String name) {
    return iam(accountId, "group", path, name);
  }

  public static String role(String accountId, String path, String name) {
    return iam(accountId, "role", path, name);
  }

  public static String instanceProfile(String accountId, String path, String name) {
    return iam(accountId, "instance-profile", path, name);
  }

  public static String customerPolicy(String accountId, String path, String name) {
    return iam(accountId, "policy", path, name);
  }

  /** Whether the ARN names an AWS managed policy ({@code arn:aws:iam::aws:policy/...}). */
  public static boolean isAwsManagedPolicy(String arn) {
    return arn.startsWith("arn:aws:iam::aws:policy/");
  }

  private static String iam(String accountId, String kind, String path, String name) {
    return "arn:aws:iam::" + accountId + ":" + kind + path + name;
  }
}
