package dev.rolegate.engine.operation;

import dev.rolegate.engine.policy.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the store knows about the role being passed: its trust policy, the instance profiles that
 * hold it, and its tags. They feed the findings and the PassRole context, not the caller's
 * permission itself.
 *
 * <p>A class rather than a record only so that it can also hold whether the trust policy refuses
 * EC2, worked out once when the role is read: a store holds the facts of thousands of roles, and
 * reading a role's trust policy at each decision costs several trips to memory and a pattern
 * compilation. Equal when the four facts are equal.
 */
public final class RoleFacts {
  private final String arn;
  private final Optional<PolicyDocument> trustPolicy;
  private final List<String> instanceProfileArns;
  private final Map<String, String> tags;
  private final boolean trustRefusesEc2;

  public RoleFacts(
      String arn,
      Optional<PolicyDocument> trustPolicy,
      List<String> instanceProfileArns,
      Map<String, String> tags) {
    this.arn = Objects.requireNonNull(arn);
    this.trustPolicy = Objects.requireNonNull(trustPolicy);
    this.instanceProfileArns = List.copyOf(instanceProfileArns);
    this.tags = Map.copyOf(tags);
    this.trustRefusesEc2 =
        trustPolicy.isPresent() && !InstanceProfileAuthorizer.trustsEc2(trustPolicy.get());
  }

  public String arn() {
    return arn;
  }

  public Optional<PolicyDocument> trustPolicy() {
    return trustPolicy;
  }

  public List<String> instanceProfileArns() {
    return instanceProfileArns;
  }

  public Map<String, String> tags() {
    return tags;
  }

  /**
   * Whether the trust policy is known and does not let {@code ec2.amazonaws.com} assume the role
   * (see {@link InstanceProfileAuthorizer#trustsEc2}).
   */
  public boolean trustRefusesEc2() {
    return trustRefusesEc2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoleFacts r
        && arn.equals(r.arn)
        && trustPolicy.equals(r.trustPolicy)
        && instanceProfileArns.equals(r.instanceProfileArns)
        && tags.equals(r.tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(arn, trustPolicy, instanceProfileArns, tags);
  }

  @Override
  public String toString() {
    return "RoleFacts[arn="
        + arn
        + ", trustPolicy="
        + trustPolicy
        + ", instanceProfileArns="
        + instanceProfileArns
        + ", tags="
        + tags
        + "]";
  }
}
