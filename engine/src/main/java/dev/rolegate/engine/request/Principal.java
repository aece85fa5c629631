package dev.rolegate.engine.request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The caller: an IAM user or a session of an assumed role. */
public sealed interface Principal {
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
    Optional<Arn> parts = Arn.parse(arn);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    Arn a = parts.get();
    Optional<Arn.PathAndName> user = a.iamEntity("user");
    if (user.isPresent()) {
      return Optional.of(
          new IamUser(arn, a.partition(), a.account(), user.get().path(), user.get().name()));
    }
    return a.roleSession()
        .map(s -> new RoleSession(arn, a.partition(), a.account(), s.roleName(), s.sessionName()));
  }
}
