package dev.rolegate.persistence.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one account holds that its decisions need, read at one revision in a handful of
 * queries: what a node compiles to hold every principal of the account at once. Entities refer to
 * managed policies by row id, so a policy attached to thousands of principals is read (and then
 * compiled) once. Policy documents are kept as the text PostgreSQL gives, to be parsed by whoever
 * compiles them. Lists are in the order a single principal's read gives ({@link
 * DecisionInputsReader#principal}).
 */
public record AccountContents(
    String accountId,
    Map<Long, ManagedPolicyRow> managedPolicies,
    List<Owner> users,
    Map<Long, Owner> groups,
    List<Owner> roles,
    List<List<StoredPolicy>> serviceControlLevels) {

  /** A managed policy and the text of its default version; empty when it is unknown. */
  public record ManagedPolicyRow(
      long id, String arn, boolean awsManaged, Optional<String> versionId, Optional<String> text) {}

  /** An inline policy's name and text. */
  public record InlineText(String name, String text) {}

  /** What a role adds to an owner: its trust policy (as text), tags and instance profiles. */
  public record RoleParts(
      String trustPolicy, Map<String, String> tags, List<String> instanceProfileArns) {}

  /**
   * A user, group or role: name, path, boundary policy id, inline policies, attached managed policy
   * ids in attachment order, for a user the ids of its groups in membership order, and for a role
   * its {@link RoleParts}.
   */
  public record Owner(
      long id,
      String name,
      String path,
      Optional<Long> boundary,
      List<InlineText> inline,
      List<Long> attached,
      List<Long> groups,
      Optional<RoleParts> role) {}
}
