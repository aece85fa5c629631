package dev.rolegate.persistence.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A stored role as a decision needs it: trust policy, the instance profiles holding it, tags. */
public record RoleState(
    String arn, JsonNode trustPolicy, List<String> instanceProfileArns, Map<String, String> tags) {
  public RoleState {
    instanceProfileArns = List.copyOf(instanceProfileArns);
    tags = Map.copyOf(tags);
  }
}
