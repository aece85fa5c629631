package dev.rolegate.persistence.account;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything rolegate knows about one AWS account, as {@code aws iam
 * get-account-authorization-details} describes it. Names are as given (IAM keeps their case);
 * policy documents are parsed JSON objects. AWS managed policies that entities attach are part of
 * {@link #policies()}, under their {@code arn:aws:iam::aws:policy/...} ARN.
 */
public record AccountState(
    String accountId,
    List<User> users,
    List<Group> groups,
    List<Role> roles,
    List<ManagedPolicy> policies,
    List<InstanceProfile> instanceProfiles) {

  public AccountState {
    Objects.requireNonNull(accountId, "accountId");
    users = List.copyOf(users);
    groups = List.copyOf(groups);
    roles = List.copyOf(roles);
    policies = List.copyOf(policies);
    instanceProfiles = List.copyOf(instanceProfiles);
  }

  /** A policy embedded in one user, group or role. */
  public record InlinePolicy(String name, JsonNode document) {
    public InlinePolicy {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(document, "document");
    }
  }

  /**
   * An IAM user. {@code id} is AWS's unique id (AIDA...) when known, else null; {@code boundaryArn}
   * the managed policy used as permissions boundary, or null.
   */
  public record User(
      String name,
      String path,
      String id,
      List<String> groupNames,
      List<InlinePolicy> inlinePolicies,
      List<String> attachedPolicyArns,
      String boundaryArn,
      Map<String, String> tags) {
    public User {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      groupNames = List.copyOf(groupNames);
      inlinePolicies = List.copyOf(inlinePolicies);
      attachedPolicyArns = List.copyOf(attachedPolicyArns);
      tags = Map.copyOf(tags);
    }
  }

  /** An IAM group; membership is listed on the users. */
  public record Group(
      String name,
      String path,
      String id,
      List<InlinePolicy> inlinePolicies,
      List<String> attachedPolicyArns) {
    public Group {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      inlinePolicies = List.copyOf(inlinePolicies);
      attachedPolicyArns = List.copyOf(attachedPolicyArns);
    }
  }

  /** An IAM role with its trust policy (AssumeRolePolicyDocument) and tags. */
  public record Role(
      String name,
      String path,
      String id,
      JsonNode trustPolicy,
      List<InlinePolicy> inlinePolicies,
      List<String> attachedPolicyArns,
      String boundaryArn,
      Map<String, String> tags) {
    public Role {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(trustPolicy, "trustPolicy");
      inlinePolicies = List.copyOf(inlinePolicies);
      attachedPolicyArns = List.copyOf(attachedPolicyArns);
      tags = Map.copyOf(tags);
    }
  }

  /**
   * A managed policy with its versions (at most five), exactly one of them the default. No versions
   * means the policy is <em>unknown</em>: an entity attaches it but the imported document did not
   * contain it (say, {@code --filter} left AWS managed policies out). It is never taken as empty.
   */
  public record ManagedPolicy(
      String arn, String name, String path, String id, List<PolicyVersion> versions) {
    public ManagedPolicy {
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      versions = List.copyOf(versions);
    }

    public boolean isKnown() {
      return !versions.isEmpty();
    }
  }

  /** One version of a managed policy, such as {@code v3}. */
  public record PolicyVersion(String versionId, JsonNode document, boolean isDefault) {
    public PolicyVersion {
      Objects.requireNonNull(versionId, "versionId");
      Objects.requireNonNull(document, "document");
    }
  }

  /** An instance profile and the names of its roles (IAM allows at most one). */
  public record InstanceProfile(String name, String path, String id, List<String> roleNames) {
    public InstanceProfile {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      roleNames = List.copyOf(roleNames);
    }
  }
}
