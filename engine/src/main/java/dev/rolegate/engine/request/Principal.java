package dev.rolegate.engine.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The caller: an IAM user or a session of an assumed role. */
public sealed interface Principal {
  Pattern USER =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):user/((?:[!-~]*/)?)([\\w+=,.@-]+)");
  Pattern SESSION =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/([\\w+=,.@-]+)");

  /** The ARN as given. */
  String arn();

  String partition();

  String accountId();

  /** A short name for explanations: the user name, or the role and session. */
  String displayName();

  /** The keys AWS derives from the principal, such as {@code aws:PrincipalArn}. */
  Map<String, List<String>> derivedContext();

  /** An IAM user: {@code arn:aws:iam::ACCOUNT:user/PATH/NAME}. */
  record IamUser(String arn, String partition, String accountId, String path, String name)
      implements Principal {
    @Override
    public String displayName() {
      return name;
    }

    @Override
    public Map<String, List<String>> derivedContext() {
      Map<String, List<String>> m = new LinkedHashMap<>();
      m.put("aws:PrincipalArn", List.of(arn));
      m.put("aws:PrincipalAccount", List.of(accountId));
      m.put("aws:PrincipalType", List.of("User"));
      m.put("aws:username", List.of(name));
      return m;
    }
  }

  /**
   * A role session: {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}. The session ARN carries
   * no path, so the role ARN derived from it has none either.
   */
  record RoleSession(
      String arn, String partition, String accountId, String roleName, String sessionName)
      implements Principal {
    /** The ARN of the assumed role, as {@code aws:PrincipalArn} reports it. */
    public String roleArn() {
      return "arn:" + partition + ":iam::" + accountId + ":role/" + roleName;
    }

    @Override
    public String displayName() {
      return "session " + sessionName + " of role " + roleName;
    }

    @Override
    public Map<String, List<String>> derivedContext() {
      Map<String, List<String>> m = new LinkedHashMap<>();
      m.put("aws:PrincipalArn", List.of(roleArn()));
      m.put("aws:PrincipalAccount", List.of(accountId));
      m.put("aws:PrincipalType", List.of("AssumedRole"));
      return m;
    }
  }

  /**
   * Parses a user ARN or a role session ARN; empty for anything else (a role ARN is not a caller:
   * ask with one of its sessions).
   */
  static Optional<Principal> parse(String arn) {
    Matcher u = USER.matcher(arn);
    if (u.matches()) {
      String path = "/" + u.group(3);
      return Optional.of(new IamUser(arn, u.group(1), u.group(2), path, u.group(4)));
    }
    Matcher s = SESSION.matcher(arn);
    if (s.matches()) {
      return Optional.of(new RoleSession(arn, s.group(1), s.group(2), s.group(3), s.group(4)));
    }
    return Optional.empty();
  }
}
