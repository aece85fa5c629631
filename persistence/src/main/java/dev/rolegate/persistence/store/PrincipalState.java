package dev.rolegate.persistence.store;

import java.util.List;
import java.util.Optional;

/**
 * Everything the store holds that decides for one principal, read at one revision: for a user its
 * own and its groups' policies, for a role (session) the role's; the permissions boundary; the SCP
 * levels of its account (root first, empty when none); the ARNs of attached managed policies that
 * are unknown (imported as references only); the ARN of the boundary when it is such a policy; and
 * for a user the names of its groups (a change to one of them changes the user's policies).
 */
public record PrincipalState(
    List<StoredPolicy> identity,
    Optional<StoredPolicy> boundary,
    List<List<StoredPolicy>> serviceControlLevels,
    List<String> unknownPolicyArns,
    Optional<String> unknownBoundaryArn,
    List<String> groups) {
  public PrincipalState {
    groups = List.copyOf(groups);
    identity = List.copyOf(identity);
    serviceControlLevels = serviceControlLevels.stream().map(List::copyOf).toList();
    unknownPolicyArns = List.copyOf(unknownPolicyArns);
  }
}
