package dev.rolegate.engine.policy;

import java.util.List;
import java.util.Map;

/**
 * {@code Principal} or {@code NotPrincipal} of a trust or resource policy: principal type ({@code
 * AWS}, {@code Service}, {@code Federated}, {@code CanonicalUser}, or {@code *} for everyone) to
 * the listed identifiers.
 */
public record PrincipalClause(boolean negated, Map<String, List<String>> principals) {
  public PrincipalClause {
    principals = Map.copyOf(principals);
  }

  /** True when the clause names the given principal, e.g. ("Service", "ec2.amazonaws.com"). */
  public boolean names(String type, String identifier) {
    if (principals.containsKey("*")) {
      return true;
    }
    List<String> ids = principals.get(type);
    return ids != null && (ids.contains(identifier) || ids.contains("*"));
  }
}
