package dev.rolegate.engine.operation;

import dev.rolegate.engine.parse.Problem;
import dev.rolegate.engine.request.Arn;
import dev.rolegate.engine.request.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * May the principal associate, replace or disassociate the role of this instance. The context is
 * the caller's: keys about the instance ({@code ec2:ResourceTag/...}, {@code aws:SourceIp}, ...).
 * Build it with {@link #validate} first; the constructor refuses what validate reports.
 */
public record InstanceProfileRequest(
    Principal principal,
    InstanceProfileOperation operation,
    String instanceArn,
    Optional<String> roleArn,
    Map<String, List<String>> context,
    Optional<RoleFacts> role) {

  public InstanceProfileRequest {
    context = Map.copyOf(context);
    List<Problem> problems = validate(operation, instanceArn, roleArn);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0).toString());
    }
  }

  /** The problems of the request's fields, with their JSON names as paths. */
  public static List<Problem> validate(
      InstanceProfileOperation operation, String instanceArn, Optional<String> roleArn) {
    List<Problem> problems = new ArrayList<>();
    if (!Arn.parse(instanceArn).map(Arn::isInstance).orElse(false)) {
      problems.add(
          new Problem(
              "instanceArn",
              "`"
                  + instanceArn
                  + "` is not an EC2 instance ARN (arn:aws:ec2:REGION:ACCOUNT:instance/i-...)"));
    }
    if (operation.passesRole()) {
      if (roleArn.isEmpty()) {
        problems.add(
            new Problem("roleArn", "`" + operation.wireName() + "` needs the `roleArn` to pass"));
      } else if (Arn.parse(roleArn.get()).flatMap(a -> a.iamEntity("role")).isEmpty()) {
        problems.add(
            new Problem(
                "roleArn",
                "`" + roleArn.get() + "` is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"));
      }
    } else if (roleArn.isPresent()) {
      problems.add(
          new Problem(
              "roleArn", "`disassociate` passes no role: leave `roleArn` out of the request"));
    }
    return problems;
  }

  // The accessors below run on every decision (subject, findings), so they cut the ARNs directly
  // instead of parsing them again: the constructor has already checked them, which fixes where
  // each part is. A role ARN is arn:PARTITION:iam::ACCOUNT:role/PATH/NAME with a 12-digit
  // account right after the first "::" and a name without '/'; an instance ARN has one '/', before
  // the id.

  /** The account that owns the role, from its ARN. */
  public Optional<String> roleAccount() {
    return roleArn.map(
        arn -> {
          int from = arn.indexOf("::") + 2;
          return arn.substring(from, from + 12);
        });
  }

  /** The account that owns the instance: its ARN's fifth part. */
  public String instanceAccount() {
    int colon = -1;
    for (int k = 0; k < 4; k++) {
      colon = instanceArn.indexOf(':', colon + 1);
    }
    return instanceArn.substring(colon + 1, instanceArn.indexOf(':', colon + 1));
  }

  /** The role's name without its path, e.g. {@code EC2-roles-for-XYZ-web}. */
  public Optional<String> roleName() {
    return roleArn.map(arn -> arn.substring(arn.lastIndexOf('/') + 1));
  }

  /** The instance id, e.g. {@code i-0123456789abcdef0}. */
  public String instanceId() {
    return instanceArn.substring(instanceArn.lastIndexOf('/') + 1);
  }
}
