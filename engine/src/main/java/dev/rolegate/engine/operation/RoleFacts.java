package dev.rolegate.engine.operation;

import dev.rolegate.engine.policy.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the store knows about the role being passed: its trust policy, the instance profiles that
 * hold it, and its tags. They feed the findings and the PassRole context, not the caller's
 * permission itself.
 */
public record RoleFacts(
    String arn,
    Optional<PolicyDocument> trustPolicy,
    List<String> instanceProfileArns,
    Map<String, String> tags) {
  public RoleFacts {
    instanceProfileArns = List.copyOf(instanceProfileArns);
    tags = Map.copyOf(tags);
  }
}
