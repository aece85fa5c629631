package dev.rolegate.api.snapshot;

import dev.rolegate.persistence.store.ChangeFeed.Notice;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which compiled entries a change makes stale. A change to a user or role touches that principal
 * (and that role to pass); a change to a group, every user that was in it; a change to a managed
 * policy, every principal it was attached to or bounded; a change to an instance profile, the roles
 * it was and is for (as roles to pass: no principal's policies depend on it). Anything else (an
 * import, SCP levels, a kind this node does not know) touches the whole account. A change of SCP
 * levels touches every principal, but only its SCP layer: a node that holds the account swaps that
 * layer in place rather than dropping the account (see {@link PolicySnapshots}).
 */
final class Staleness {
  private Staleness() {}

  static boolean wholeAccount(Notice n) {
    return switch (n.entityKind()) {
      case "user", "group", "role", "policy", Notice.INSTANCE_PROFILE -> false;
      default -> true;
    };
  }

  static boolean touches(Notice n, PrincipalRef ref, ResolvedPrincipal p) {
    return switch (n.entityKind()) {
      case "user" -> ref.isUser() && ref.name().equalsIgnoreCase(name(n.entityArn()));
      case "role" -> !ref.isUser() && ref.name().equalsIgnoreCase(name(n.entityArn()));
      case "group" -> p.builtFromGroup(name(n.entityArn()));
      case "policy" -> p.builtFromPolicy(n.entityArn());
      case Notice.INSTANCE_PROFILE -> false;
      default -> true;
    };
  }

  static boolean touches(Notice n, RoleRef ref) {
    return switch (n.entityKind()) {
      case "user", "group", "policy" -> false;
      case "role" -> ref.name().equalsIgnoreCase(name(n.entityArn()));
      case Notice.INSTANCE_PROFILE -> n.roles().stream().anyMatch(ref.name()::equalsIgnoreCase);
      default -> true;
    };
  }

  /** The principal and role a change names (a user or role written), to be read again. */
  static Set<Object> named(Notice n) {
    Set<Object> out = new LinkedHashSet<>();
    String arn = n.entityArn();
    int slash = arn.indexOf('/');
    if (slash < 0) {
      return out;
    }
    // arn:aws:iam::ACCOUNT:user/PATH/NAME: the path is everything between the kind and the name.
    String path = arn.substring(slash, arn.lastIndexOf('/') + 1);
    switch (n.entityKind()) {
      case "user" -> out.add(PrincipalRef.user(n.accountId(), path, name(arn)));
      case "role" -> {
        out.add(PrincipalRef.roleSession(n.accountId(), name(arn)));
        out.add(new RoleRef(n.accountId(), path, name(arn)));
      }
      default -> {}
    }
    return out;
  }

  /** The last segment of an ARN's resource: a user, group, role or policy name. */
  static String name(String arn) {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
