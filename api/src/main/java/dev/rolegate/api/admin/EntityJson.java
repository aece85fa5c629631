package dev.rolegate.api.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.persistence.account.AccountState.Group;
import dev.rolegate.persistence.account.AccountState.InlinePolicy;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.account.AccountState.ManagedPolicy;
import dev.rolegate.persistence.account.AccountState.PolicyVersion;
import dev.rolegate.persistence.account.AccountState.Role;
import dev.rolegate.persistence.account.AccountState.User;
import dev.rolegate.persistence.store.Arns;
import java.util.List;
import java.util.Map;

/** Renders stored entities in the shape their PUT bodies use, plus name, ARN, id and revision. */
final class EntityJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EntityJson() {}

  static ObjectNode user(String accountId, User u, long revision) {
    ObjectNode o =
        head(u.name(), u.path(), Arns.user(accountId, u.path(), u.name()), u.id(), revision);
    strings(o, "groups", u.groupNames());
    inline(o, u.inlinePolicies());
    strings(o, "attachedPolicies", u.attachedPolicyArns());
    o.put("permissionsBoundary", u.boundaryArn());
    tags(o, u.tags());
    return o;
  }

  static ObjectNode group(String accountId, Group g, long revision) {
    ObjectNode o =
        head(g.name(), g.path(), Arns.group(accountId, g.path(), g.name()), g.id(), revision);
    inline(o, g.inlinePolicies());
    strings(o, "attachedPolicies", g.attachedPolicyArns());
    return o;
  }

  static ObjectNode role(String accountId, Role r, long revision) {
    ObjectNode o =
        head(r.name(), r.path(), Arns.role(accountId, r.path(), r.name()), r.id(), revision);
    o.set("trustPolicy", r.trustPolicy());
    inline(o, r.inlinePolicies());
    strings(o, "attachedPolicies", r.attachedPolicyArns());
    o.put("permissionsBoundary", r.boundaryArn());
    tags(o, r.tags());
    return o;
  }

  static ObjectNode instanceProfile(String accountId, InstanceProfile p, long revision) {
    ObjectNode o =
        head(
            p.name(),
            p.path(),
            Arns.instanceProfile(accountId, p.path(), p.name()),
            p.id(),
            revision);
    o.put("role", p.roleNames().isEmpty() ? null : p.roleNames().get(0));
    return o;
  }

  static ObjectNode policy(ManagedPolicy p, long revision) {
    ObjectNode o = head(p.name(), p.path(), p.arn(), p.id(), revision);
    o.put("known", p.isKnown());
    o.put(
        "defaultVersionId",
        p.versions().stream()
            .filter(PolicyVersion::isDefault)
            .map(PolicyVersion::versionId)
            .findFirst()
            .orElse(null));
    var versions = o.putArray("versions");
    for (PolicyVersion v : p.versions()) {
      versions
          .addObject()
          .put("versionId", v.versionId())
          .put("isDefault", v.isDefault())
          .set("document", v.document());
    }
    return o;
  }

  private static ObjectNode head(String name, String path, String arn, String id, long revision) {
    ObjectNode o = NODES.objectNode();
    o.put("name", name);
    o.put("path", path);
    o.put("arn", arn);
    o.put("id", id);
    o.put("revision", revision);
    return o;
  }

  private static void strings(ObjectNode o, String field, List<String> values) {
    var a = o.putArray(field);
    values.forEach(a::add);
  }

  private static void inline(ObjectNode o, List<InlinePolicy> policies) {
    ObjectNode m = o.putObject("inlinePolicies");
    policies.forEach(p -> m.set(p.name(), p.document()));
  }

  private static void tags(ObjectNode o, Map<String, String> tags) {
    ObjectNode m = o.putObject("tags");
    tags.forEach(m::put);
  }
}
