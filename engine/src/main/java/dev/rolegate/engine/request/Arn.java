package dev.rolegate.engine.request;

import java.util.Optional;

/**
 * An ARN cut at its first five colons: {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE} (the
 * resource may hold more colons), in one of the partitions rolegate knows. The shapes a decision
 * names (a user, a role, a role session, an instance) are checked on these parts by hand rather
 * than with regular expressions: they run several times per decision, and as regular expressions
 * they took about a tenth of a decision's CPU time over HTTP.
 */
public record Arn(
    String partition, String service, String region, String account, String resource) {

  /** An IAM path ({@code /} or {@code /.../}) and a name, as in a user or role ARN. */
  public record PathAndName(String path, String name) {}

  /** The role and session names of a role session ARN. */
  public record RoleAndSession(String roleName, String sessionName) {}

  /** The ARN's parts; empty when it is not {@code arn:} and five colon-separated fields. */
  public static Optional<Arn> parse(String text) {
    if (text == null || !text.startsWith("arn:")) {
      return Optional.empty();
    }
    int partitionEnd = text.indexOf(':', 4);
    int serviceEnd = partitionEnd < 0 ? -1 : text.indexOf(':', partitionEnd + 1);
    int regionEnd = serviceEnd < 0 ? -1 : text.indexOf(':', serviceEnd + 1);
    int accountEnd = regionEnd < 0 ? -1 : text.indexOf(':', regionEnd + 1);
    if (accountEnd < 0) {
      return Optional.empty();
    }
    String partition = text.substring(4, partitionEnd);
    if (!partition.equals("aws")
        && !partition.equals("aws-cn")
        && !partition.equals("aws-us-gov")) {
      return Optional.empty();
    }
    return Optional.of(
        new Arn(
            partition,
            text.substring(partitionEnd + 1, serviceEnd),
            text.substring(serviceEnd + 1, regionEnd),
            text.substring(regionEnd + 1, accountEnd),
            text.substring(accountEnd + 1)));
  }

  /**
   * The path and name of an IAM user or role ARN ({@code arn:aws:iam::ACCOUNT:TYPE/PATH/NAME}, no
   * region, a 12-digit account) whose resource type is {@code type}: the path printable ASCII, the
   * name of IAM's name characters. Empty for any other ARN.
   */
  public Optional<PathAndName> iamEntity(String type) {
    if (!service.equals("iam")
        || !region.isEmpty()
        || !isAccountId(account)
        || !resource.startsWith(type)
        || resource.length() <= type.length()
        || resource.charAt(type.length()) != '/') {
      return Optional.empty();
    }
    int from = type.length() + 1;
    int lastSlash = resource.lastIndexOf('/');
    if (!isPathText(resource, from, lastSlash)
        || !isName(resource, lastSlash + 1, resource.length())) {
      return Optional.empty();
    }
    return Optional.of(
        new PathAndName(
            resource.substring(from - 1, lastSlash + 1), resource.substring(lastSlash + 1)));
  }

  /**
   * The role name and session name of a role session ARN ({@code
   * arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}), both of IAM's name characters. Empty for any
   * other ARN.
   */
  public Optional<RoleAndSession> roleSession() {
    String prefix = "assumed-role/";
    if (!service.equals("sts")
        || !region.isEmpty()
        || !isAccountId(account)
        || !resource.startsWith(prefix)) {
      return Optional.empty();
    }
    int slash = resource.indexOf('/', prefix.length());
    if (slash < 0
        || !isName(resource, prefix.length(), slash)
        || !isName(resource, slash + 1, resource.length())) {
      return Optional.empty();
    }
    return Optional.of(
        new RoleAndSession(
            resource.substring(prefix.length(), slash), resource.substring(slash + 1)));
  }

  /**
   * Whether this is an EC2 instance ARN: {@code arn:aws:ec2:REGION:ACCOUNT:instance/i-HEX}, a
   * region of lower-case letters, digits and dashes, a 12-digit account.
   */
  public boolean isInstance() {
    String prefix = "instance/i-";
    if (!service.equals("ec2")
        || region.isEmpty()
        || !isAccountId(account)
        || !resource.startsWith(prefix)
        || resource.length() == prefix.length()) {
      return false;
    }
    for (int i = 0; i < region.length(); i++) {
      char c = region.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    for (int i = prefix.length(); i < resource.length(); i++) {
      char c = resource.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAccountId(String s) {
    if (s.length() != 12) {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether s[from, to) is a non-empty IAM name: ASCII letters, digits and {@code _+=,.@-}. Entity
   * names are checked with it too (IamNames), so that there is one definition.
   */
  public static boolean isName(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '_'
              || c == '+'
              || c == '='
              || c == ','
              || c == '.'
              || c == '@'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether s[from, to) is printable ASCII without space ({@code !} to {@code ~}), as paths are.
   */
  public static boolean isPathText(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '!' || s.charAt(i) > '~') {
        return false;
      }
    }
    return true;
  }
}
