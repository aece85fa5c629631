package dev.rolegate.api.imports;

import java.util.Set;

/**
 * The fields each object of {@code get-account-authorization-details} output may carry
 * (iam-reference §5). Any other field is refused rather than ignored: it may carry meaning that
 * rolegate would silently miss.
 */
final class DetailFields {
  static final Set<String> TOP_LEVEL =
      Set.of(
          "UserDetailList",
          "GroupDetailList",
          "RoleDetailList",
          "Policies",
          "IsTruncated",
          "Marker");
  static final Set<String> USER =
      Set.of(
          "Path",
          "UserName",
          "UserId",
          "Arn",
          "CreateDate",
          "UserPolicyList",
          "GroupList",
          "AttachedManagedPolicies",
          "PermissionsBoundary",
          "Tags");
  static final Set<String> GROUP =
      Set.of(
          "Path",
          "GroupName",
          "GroupId",
          "Arn",
          "CreateDate",
          "GroupPolicyList",
          "AttachedManagedPolicies");
  static final Set<String> ROLE =
      Set.of(
          "Path",
          "RoleName",
          "RoleId",
          "Arn",
          "CreateDate",
          "AssumeRolePolicyDocument",
          "InstanceProfileList",
          "RolePolicyList",
          "AttachedManagedPolicies",
          "PermissionsBoundary",
          "Tags",
          "RoleLastUsed",
          "Description",
          "MaxSessionDuration");
  static final Set<String> INSTANCE_PROFILE =
      Set.of(
          "Path", "InstanceProfileName", "InstanceProfileId", "Arn", "CreateDate", "Roles", "Tags");

  /** A role inside an instance profile: the Role type, without the detail's lists. */
  static final Set<String> PROFILE_ROLE =
      Set.of(
          "Path",
          "RoleName",
          "RoleId",
          "Arn",
          "CreateDate",
          "AssumeRolePolicyDocument",
          "Description",
          "MaxSessionDuration",
          "PermissionsBoundary",
          "Tags",
          "RoleLastUsed");

  static final Set<String> MANAGED_POLICY =
      Set.of(
          "PolicyName",
          "PolicyId",
          "Arn",
          "Path",
          "DefaultVersionId",
          "AttachmentCount",
          "PermissionsBoundaryUsageCount",
          "IsAttachable",
          "Description",
          "CreateDate",
          "UpdateDate",
          "PolicyVersionList");
  static final Set<String> VERSION =
      Set.of("Document", "VersionId", "IsDefaultVersion", "CreateDate");
  static final Set<String> INLINE_POLICY = Set.of("PolicyName", "PolicyDocument");
  static final Set<String> ATTACHED_POLICY = Set.of("PolicyName", "PolicyArn");
  static final Set<String> BOUNDARY = Set.of("PermissionsBoundaryType", "PermissionsBoundaryArn");
  static final Set<String> TAG = Set.of("Key", "Value");

  private DetailFields() {}
}
