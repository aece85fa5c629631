package dev.rolegate.api.imports;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IAM ARNs as iam-reference §4 spells them; only the {@code aws} partition. */
final class Arns {
  /** The owner of AWS managed policies, in place of an account id. */
  static final String AWS = "aws";

  private static final Pattern IAM = Pattern.compile("arn:aws:iam::([^:]*):.*");
  private static final Pattern POLICY =
      Pattern.compile("arn:aws:iam::([^:]*):policy(/|/.*/)([^/]+)");

  private Arns() {}

  /**
   * The ARN of a user, group, role, instance profile or policy. The path begins and ends with
   * {@code /}, so {@code /division/} and {@code Jane} give {@code user/division/Jane}.
   */
  static String of(String owner, String type, String path, String name) {
    return "arn:aws:iam::" + owner + ":" + type + path + name;
  }

  /** The account (or {@code aws}) in an IAM ARN. */
  static Optional<String> owner(String arn) {
    Matcher m = IAM.matcher(arn);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** A managed policy ARN taken apart. */
  record PolicyArn(String owner, String path, String name) {}

  static Optional<PolicyArn> policy(String arn) {
    Matcher m = POLICY.matcher(arn);
    return m.matches()
        ? Optional.of(new PolicyArn(m.group(1), m.group(2), m.group(3)))
        : Optional.empty();
  }
}
