package dev.rolegate.api.imports;

import java.util.Objects;

/**
 * An entity refers to a managed policy that the input does not describe (say, {@code --filter} left
 * AWS managed policies out). {@code path} is where the reference is, such as {@code
 * UserDetailList[2].AttachedManagedPolicies[0]} or {@code RoleDetailList[0].PermissionsBoundary}.
 */
public record UnresolvedReference(String path, String entityArn, String policyArn) {
  public UnresolvedReference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(entityArn, "entityArn");
    Objects.requireNonNull(policyArn, "policyArn");
  }
}
