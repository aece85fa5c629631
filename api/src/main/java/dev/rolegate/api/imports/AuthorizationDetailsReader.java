package dev.rolegate.api.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rolegate.api.problem.ProblemList;
import dev.rolegate.engine.parse.IamNames;
import dev.rolegate.engine.parse.PolicyLimits;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.persistence.account.AccountState;
import dev.rolegate.persistence.account.AccountState.Group;
import dev.rolegate.persistence.account.AccountState.InlinePolicy;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.account.AccountState.ManagedPolicy;
import dev.rolegate.persistence.account.AccountState.PolicyVersion;
import dev.rolegate.persistence.account.AccountState.Role;
import dev.rolegate.persistence.account.AccountState.User;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the output of {@code aws iam get-account-authorization-details} (iam-reference §5) into an
 * {@link AccountState}. Strict: unknown fields, wrong types, broken names, ARNs of another account,
 * exceeded quotas and dangling group names are problems, all collected with their JSON paths. Only
 * managed policies the input does not describe are tolerated, as unknown policies.
 */
public final class AuthorizationDetailsReader {
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

  /** IAM's quota; {@link PolicyLimits} has no constant for it. */
  private static final int ROLES_PER_INSTANCE_PROFILE = 1;

  /** Stands in for a document that could not be read, so reading goes on; it is never returned. */
  private static final JsonNode UNREADABLE = JsonNodeFactory.instance.objectNode();

  /** Where an entity refers to a managed policy; resolved once all policies are read. */
  private record Reference(String path, String entityArn, String policyArn) {}

  /** Where a user names a group; checked once all groups are read. */
  private record GroupReference(String path, String name) {}

  /** An instance profile as first seen, under {@code at}; later sightings must agree with it. */
  private record ProfileSighting(
      String name, String path, String id, List<String> roleNames, String at) {
    ProfileSighting withRoles(List<String> more) {
      List<String> all = Stream.concat(roleNames.stream(), more.stream()).distinct().toList();
      return new ProfileSighting(name, path, id, all, at);
    }
  }

  private final String accountId;
  private final ProblemList problems = new ProblemList();
  private final UniqueNames userNames = new UniqueNames("user name", true);
  private final UniqueNames groupNames = new UniqueNames("group name", true);
  private final UniqueNames roleNames = new UniqueNames("role name", true);
  private final UniqueNames policyArns = new UniqueNames("policy ARN", false);
  private final Set<String> knownGroups = new HashSet<>();
  private final List<GroupReference> groupReferences = new ArrayList<>();
  private final List<Reference> references = new ArrayList<>();
  private final Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
  private final Map<String, ProfileSighting> profiles = new LinkedHashMap<>();
  private final List<UnresolvedReference> unresolved = new ArrayList<>();

  private AuthorizationDetailsReader(String accountId) {
    this.accountId = accountId;
  }

  /**
   * Reads the authorization details of account {@code accountId}. Never throws on bad input: the
   * answer is the account's state, or every problem found (at most 100, then a count).
   */
  public static ImportResult read(JsonNode root, String accountId) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(accountId, "accountId");
    AuthorizationDetailsReader reader = new AuthorizationDetailsReader(accountId);
    AccountState state = reader.account(root);
    return reader.problems.isEmpty()
        ? new ImportResult.Read(state, reader.unresolved)
        : new ImportResult.Invalid(reader.problems.list());
  }

  private AccountState account(JsonNode root) {
    if (!ACCOUNT_ID.matcher(accountId).matches()) {
      problems.add("", "the account id `" + accountId + "` must be 12 digits");
    }
    Optional<Fields> details = Fields.of(root, "", DetailFields.TOP_LEVEL, problems);
    if (details.isEmpty()) {
      return new AccountState(accountId, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    Fields top = details.get();
    truncation(top);
    List<User> users =
        top.objects("UserDetailList", DetailFields.USER).stream().map(this::user).toList();
    List<Group> groups =
        top.objects("GroupDetailList", DetailFields.GROUP).stream().map(this::group).toList();
    List<Role> roles =
        top.objects("RoleDetailList", DetailFields.ROLE).stream().map(this::role).toList();
    top.objects("Policies", DetailFields.MANAGED_POLICY).forEach(this::managedPolicy);
    checkGroupReferences();
    resolvePolicyReferences();
    return new AccountState(
        accountId, users, groups, roles, List.copyOf(policies.values()), instanceProfiles());
  }

  /** A page of a paginated call leaves entities out, and nothing else in the input would say so. */
  private void truncation(Fields top) {
    if (top.bool("IsTruncated")) {
      problems.add(
          top.path("IsTruncated"),
          "the output is truncated, so entities would be missing: import the complete output (the"
              + " AWS CLI fetches every page unless `--max-items` or `--no-paginate` is given)");
    }
    top.text("Marker");
  }

  // ---- entities

  private User user(Fields user) {
    String name = name(user, "UserName", IamNames.Kind.USER, userNames);
    String path = path(user);
    String arn = entityArn(user, "user", path, name);
    return new User(
        name,
        path,
        user.text("UserId").orElse(null),
        groupList(user),
        inlinePolicies(user, "UserPolicyList", PolicyLimits.USER_INLINE_TOTAL, "user", name),
        attachments(user, arn, PolicyLimits.ATTACHMENTS_PER_USER_OR_ROLE),
        boundary(user, arn),
        tags(user));
  }

  private Group group(Fields group) {
    String name = name(group, "GroupName", IamNames.Kind.GROUP, groupNames);
    knownGroups.add(name);
    String path = path(group);
    String arn = entityArn(group, "group", path, name);
    return new Group(
        name,
        path,
        group.text("GroupId").orElse(null),
        inlinePolicies(group, "GroupPolicyList", PolicyLimits.GROUP_INLINE_TOTAL, "group", name),
        attachments(group, arn, PolicyLimits.ATTACHMENTS_PER_GROUP));
  }

  private Role role(Fields role) {
    String name = name(role, "RoleName", IamNames.Kind.ROLE, roleNames);
    String path = path(role);
    String arn = entityArn(role, "role", path, name);
    JsonNode trust = document(role, "AssumeRolePolicyDocument", PolicyKind.TRUST, false);
    PolicyLimits.sizeProblem(
            PolicyDocuments.compact(trust), PolicyLimits.TRUST_POLICY, "the trust policy")
        .ifPresent(p -> problems.add(p.under(role.path("AssumeRolePolicyDocument"))));
    role.objects("InstanceProfileList", DetailFields.INSTANCE_PROFILE)
        .forEach(profile -> instanceProfile(profile, name));
    return new Role(
        name,
        path,
        role.text("RoleId").orElse(null),
        trust,
        inlinePolicies(role, "RolePolicyList", PolicyLimits.ROLE_INLINE_TOTAL, "role", name),
        attachments(role, arn, PolicyLimits.ATTACHMENTS_PER_USER_OR_ROLE),
        boundary(role, arn),
        tags(role));
  }

  /** A checked name that must be unique among {@code seen}. */
  private String name(Fields entity, String field, IamNames.Kind kind, UniqueNames seen) {
    String name = name(entity, field, kind);
    if (!name.isEmpty()) {
      seen.claim(name, entity.path(field), problems);
    }
    return name;
  }

  /** A checked name; an empty placeholder when missing (already reported). */
  private String name(Fields entity, String field, IamNames.Kind kind) {
    Optional<String> name = entity.requiredText(field);
    name.flatMap(n -> IamNames.nameProblem(kind, n))
        .ifPresent(m -> problems.add(entity.path(field), m));
    return name.orElse("");
  }

  /** The entity's path; IAM's default {@code /} when absent. */
  private String path(Fields entity) {
    String path = entity.text("Path").orElse("/");
    IamNames.pathProblem(path).ifPresent(m -> problems.add(entity.path("Path"), m));
    return path;
  }

  /** The ARN the name and path give in this account; a given {@code Arn} must be exactly that. */
  private String entityArn(Fields entity, String type, String path, String name) {
    String expected = Arns.of(accountId, type, path, name);
    entity.text("Arn").ifPresent(arn -> checkArn(entity.path("Arn"), arn, expected));
    return expected;
  }

  private void checkArn(String at, String arn, String expected) {
    if (arn.equals(expected)) {
      return;
    }
    Optional<String> owner = Arns.owner(arn);
    if (owner.isPresent() && !owner.get().equals(accountId) && !owner.get().equals(Arns.AWS)) {
      problems.add(
          at,
          "the ARN `"
              + arn
              + "` belongs to account `"
              + owner.get()
              + "`, not `"
              + accountId
              + "`");
    } else {
      problems.add(
          at,
          "the ARN `" + arn + "` does not match the name and path: expected `" + expected + "`");
    }
  }

  private List<String> groupList(Fields user) {
    if (user.size("GroupList") > PolicyLimits.GROUPS_PER_USER) {
      problems.add(
          user.path("GroupList"),
          "the user is in "
              + user.size("GroupList")
              + " groups: IAM allows at most "
              + PolicyLimits.GROUPS_PER_USER);
    }
    UniqueNames seen = new UniqueNames("group", true);
    List<String> names = new ArrayList<>();
    for (Fields.Located group : user.texts("GroupList")) {
      seen.claim(group.value(), group.path(), problems);
      groupReferences.add(new GroupReference(group.path(), group.value()));
      names.add(group.value());
    }
    return names;
  }

  private Map<String, String> tags(Fields entity) {
    UniqueNames keys = new UniqueNames("tag key", true);
    Map<String, String> tags = new LinkedHashMap<>();
    for (Fields tag : entity.objects("Tags", DetailFields.TAG)) {
      Optional<String> key = tag.requiredText("Key");
      Optional<String> value = tag.requiredText("Value");
      key.ifPresent(k -> keys.claim(k, tag.path("Key"), problems));
      if (key.isPresent() && value.isPresent()) {
        tags.putIfAbsent(key.get(), value.get());
      }
    }
    return tags;
  }

  // ---- instance profiles

  /** One instance profile as listed under role {@code roleName}; merged with earlier sightings. */
  private void instanceProfile(Fields profile, String roleName) {
    String name = name(profile, "InstanceProfileName", IamNames.Kind.INSTANCE_PROFILE);
    String path = path(profile);
    entityArn(profile, "instance-profile", path, name);
    List<String> roles =
        profile.objects("Roles", DetailFields.PROFILE_ROLE).stream()
            .flatMap(r -> r.requiredText("RoleName").stream())
            .toList();
    if (!roles.contains(roleName)) {
      problems.add(
          profile.path("Roles"),
          "the instance profile `"
              + name
              + "` is listed under role `"
              + roleName
              + "`, but its `Roles` do not name that role");
    }
    ProfileSighting sighting =
        new ProfileSighting(
            name, path, profile.text("InstanceProfileId").orElse(null), roles, profile.path());
    ProfileSighting earlier = profiles.get(IamNames.uniquenessKey(name));
    ProfileSighting merged = earlier == null ? sighting : merge(earlier, sighting, profile);
    profiles.put(IamNames.uniquenessKey(name), merged);
    if (merged.roleNames().size() > ROLES_PER_INSTANCE_PROFILE) {
      problems.add(
          profile.path("Roles"),
          "the instance profile `"
              + name
              + "` would hold roles "
              + String.join(", ", merged.roleNames().stream().map(r -> "`" + r + "`").toList())
              + ": an instance profile holds at most one role");
    }
  }

  /** The same profile seen again (under another role): it must be the same profile. */
  private ProfileSighting merge(ProfileSighting earlier, ProfileSighting later, Fields profile) {
    String conflict = "the instance profile `" + later.name() + "` was listed at `" + earlier.at();
    if (!earlier.name().equals(later.name())) {
      problems.add(
          profile.path("InstanceProfileName"),
          conflict + "` as `" + earlier.name() + "`: IAM compares these names case-insensitively");
    }
    if (!earlier.path().equals(later.path())) {
      problems.add(
          profile.path("Path"),
          conflict + "` with path `" + earlier.path() + "`, here with `" + later.path() + "`");
    }
    if (!Objects.equals(earlier.id(), later.id())) {
      problems.add(
          profile.path("InstanceProfileId"),
          conflict + "` with id `" + earlier.id() + "`, here with `" + later.id() + "`");
    }
    return earlier.withRoles(later.roleNames());
  }

  private List<InstanceProfile> instanceProfiles() {
    return profiles.values().stream()
        .map(p -> new InstanceProfile(p.name(), p.path(), p.id(), p.roleNames()))
        .toList();
  }

  // ---- policies

  private List<InlinePolicy> inlinePolicies(
      Fields entity, String field, int totalLimit, String kind, String entityName) {
    UniqueNames names = new UniqueNames("inline policy name", false);
    List<InlinePolicy> policies = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (Fields policy : entity.objects(field, DetailFields.INLINE_POLICY)) {
      String name = name(policy, "PolicyName", IamNames.Kind.INLINE_POLICY, names);
      JsonNode document = document(policy, "PolicyDocument", PolicyKind.IDENTITY, false);
      all.append(PolicyDocuments.compact(document));
      policies.add(new InlinePolicy(name, document));
    }
    // IAM limits the sum of an entity's inline policies, not each one.
    String what = "the inline policies of " + kind + " `" + entityName + "` together";
    PolicyLimits.sizeProblem(all.toString(), totalLimit, what)
        .ifPresent(p -> problems.add(p.under(entity.path(field))));
    return policies;
  }

  /**
   * The document in a required field, or a placeholder when it cannot be read (reported). An AWS
   * managed policy's is not held to the API's 131,072 characters, which bound what a customer
   * sends: AWSSupportServiceRolePolicy, attached to the support role every account has, is larger.
   */
  private JsonNode document(Fields holder, String field, PolicyKind kind, boolean awsManaged) {
    Optional<JsonNode> value = holder.value(field);
    if (value.isEmpty()) {
      problems.add(holder.path(), "the field `" + field + "` is missing");
      return UNREADABLE;
    }
    return PolicyDocuments.read(value.get(), holder.path(field), kind, !awsManaged, problems)
        .orElse(UNREADABLE);
  }

  private void managedPolicy(Fields policy) {
    String name = name(policy, "PolicyName", IamNames.Kind.MANAGED_POLICY);
    String path = path(policy);
    // Without an ARN the policy can only be this account's own; with one, it may be AWS's.
    boolean awsManaged =
        policy.text("Arn").flatMap(Arns::owner).filter(Arns.AWS::equals).isPresent();
    String arn = Arns.of(awsManaged ? Arns.AWS : accountId, "policy", path, name);
    policy.text("Arn").ifPresent(given -> checkArn(policy.path("Arn"), given, arn));
    policyArns.claim(arn, policy.path(), problems);
    List<PolicyVersion> versions = versions(policy, name, awsManaged);
    policies.putIfAbsent(
        arn, new ManagedPolicy(arn, name, path, policy.text("PolicyId").orElse(null), versions));
  }

  private List<PolicyVersion> versions(Fields policy, String name, boolean awsManaged) {
    // AWS keeps dozens of versions of its own policies (ReadOnlyAccess is past v60): IAM's five
    // are a customer managed policy's limit.
    if (!awsManaged && policy.size("PolicyVersionList") > PolicyLimits.VERSIONS_PER_POLICY) {
      problems.add(
          policy.path("PolicyVersionList"),
          "the policy `"
              + name
              + "` lists "
              + policy.size("PolicyVersionList")
              + " versions: IAM keeps at most "
              + PolicyLimits.VERSIONS_PER_POLICY);
    }
    UniqueNames ids = new UniqueNames("version id", false);
    List<PolicyVersion> versions = new ArrayList<>();
    for (Fields version : policy.objects("PolicyVersionList", DetailFields.VERSION)) {
      versions.add(version(version, ids, awsManaged, versions));
    }
    checkDefault(policy, versions);
    return versions;
  }

  private PolicyVersion version(
      Fields version, UniqueNames ids, boolean awsManaged, List<PolicyVersion> earlier) {
    Optional<String> id = version.requiredText("VersionId");
    id.ifPresent(
        i -> {
          IamNames.versionIdProblem(i).ifPresent(m -> problems.add(version.path("VersionId"), m));
          ids.claim(i, version.path("VersionId"), problems);
        });
    JsonNode document = document(version, "Document", PolicyKind.IDENTITY, awsManaged);
    // AWS managed policies are not held to the customer limit: some are far larger.
    if (!awsManaged) {
      PolicyLimits.sizeProblem(
              PolicyDocuments.compact(document),
              PolicyLimits.MANAGED_POLICY_VERSION,
              "policy version `" + id.orElse("") + "`")
          .ifPresent(p -> problems.add(p.under(version.path("Document"))));
    }
    boolean isDefault = version.bool("IsDefaultVersion");
    if (isDefault) {
      earlier.stream()
          .filter(PolicyVersion::isDefault)
          .findFirst()
          .ifPresent(
              first ->
                  problems.add(
                      version.path("IsDefaultVersion"),
                      "`"
                          + id.orElse("")
                          + "` is marked as the default version, and so is `"
                          + first.versionId()
                          + "`: exactly one version is the default"));
    }
    return new PolicyVersion(id.orElse(""), document, isDefault);
  }

  /** Exactly one default version, and {@code DefaultVersionId} (when given) names it. */
  private void checkDefault(Fields policy, List<PolicyVersion> versions) {
    Optional<String> marked =
        versions.stream()
            .filter(PolicyVersion::isDefault)
            .map(PolicyVersion::versionId)
            .findFirst();
    if (!versions.isEmpty() && marked.isEmpty()) {
      problems.add(
          policy.path("PolicyVersionList"),
          "no version has `IsDefaultVersion` true: exactly one version is the default");
    }
    Optional<String> declared = policy.text("DefaultVersionId");
    if (declared.isPresent() && marked.isPresent() && !declared.equals(marked)) {
      problems.add(
          policy.path("DefaultVersionId"),
          "`DefaultVersionId` is `"
              + declared.get()
              + "`, but the version marked as default is `"
              + marked.get()
              + "`");
    }
  }

  // ---- references

  private List<String> attachments(Fields entity, String entityArn, int limit) {
    List<Fields> attached = entity.objects("AttachedManagedPolicies", DetailFields.ATTACHED_POLICY);
    if (entity.size("AttachedManagedPolicies") > limit) {
      problems.add(
          entity.path("AttachedManagedPolicies"),
          entity.size("AttachedManagedPolicies")
              + " managed policies are attached: IAM allows at most "
              + limit);
    }
    UniqueNames seen = new UniqueNames("attached policy", false);
    List<String> arns = new ArrayList<>();
    for (Fields attachment : attached) {
      Optional<String> arn = attachment.requiredText("PolicyArn");
      if (arn.isEmpty()) {
        continue;
      }
      seen.claim(arn.get(), attachment.path("PolicyArn"), problems);
      Optional<String> arnName = policyReference(attachment.path("PolicyArn"), arn.get());
      attachment
          .text("PolicyName")
          .filter(n -> arnName.isPresent() && !n.equals(arnName.get()))
          .ifPresent(
              n ->
                  problems.add(
                      attachment.path("PolicyName"),
                      "the policy name `" + n + "` does not match the ARN `" + arn.get() + "`"));
      references.add(new Reference(attachment.path(), entityArn, arn.get()));
      arns.add(arn.get());
    }
    return arns;
  }

  /** The boundary policy's ARN, or null when the entity has no boundary. */
  private String boundary(Fields entity, String entityArn) {
    Optional<Fields> found = entity.object("PermissionsBoundary", DetailFields.BOUNDARY);
    if (found.isEmpty()) {
      return null;
    }
    Fields boundary = found.get();
    boundary
        .text("PermissionsBoundaryType")
        .filter(t -> !t.equals("Policy"))
        .ifPresent(
            t ->
                problems.add(
                    boundary.path("PermissionsBoundaryType"),
                    "`" + t + "` is not a permissions boundary type: IAM uses `Policy`"));
    Optional<String> arn = boundary.requiredText("PermissionsBoundaryArn");
    arn.ifPresent(
        a -> {
          policyReference(boundary.path("PermissionsBoundaryArn"), a);
          references.add(new Reference(boundary.path(), entityArn, a));
        });
    return arn.orElse(null);
  }

  /** Checks a referenced policy ARN; the policy's name when the ARN is one this account can use. */
  private Optional<String> policyReference(String at, String arn) {
    Optional<Arns.PolicyArn> parsed = Arns.policy(arn);
    if (parsed.isEmpty()) {
      problems.add(
          at,
          "`"
              + arn
              + "` is not a managed policy ARN such as"
              + " `arn:aws:iam::aws:policy/ReadOnlyAccess`");
      return Optional.empty();
    }
    String owner = parsed.get().owner();
    if (!owner.equals(accountId) && !owner.equals(Arns.AWS)) {
      problems.add(
          at,
          "the policy `"
              + arn
              + "` belongs to account `"
              + owner
              + "`: only this account's and AWS managed policies can be attached");
      return Optional.empty();
    }
    IamNames.nameProblem(IamNames.Kind.MANAGED_POLICY, parsed.get().name())
        .ifPresent(m -> problems.add(at, m));
    IamNames.pathProblem(parsed.get().path()).ifPresent(m -> problems.add(at, m));
    return Optional.of(parsed.get().name());
  }

  private void checkGroupReferences() {
    for (GroupReference group : groupReferences) {
      if (!knownGroups.contains(group.name())) {
        problems.add(
            group.path(),
            "the group `"
                + group.name()
                + "` is not in `GroupDetailList`: import the groups too (`--filter User` alone"
                + " leaves them out)");
      }
    }
  }

  /**
   * A policy the input does not describe becomes an unknown policy, never an empty one: deciding as
   * if it granted nothing could allow what its deny statements forbid.
   */
  private void resolvePolicyReferences() {
    for (Reference reference : references) {
      ManagedPolicy policy = policies.computeIfAbsent(reference.policyArn(), this::unknownPolicy);
      if (!policy.isKnown()) {
        unresolved.add(
            new UnresolvedReference(
                reference.path(), reference.entityArn(), reference.policyArn()));
      }
    }
  }

  private ManagedPolicy unknownPolicy(String arn) {
    Optional<Arns.PolicyArn> parsed = Arns.policy(arn);
    // A malformed ARN has been reported already; the placeholder only keeps reading going.
    String name = parsed.map(Arns.PolicyArn::name).orElse(arn);
    String path = parsed.map(Arns.PolicyArn::path).orElse("/");
    return new ManagedPolicy(arn, name, path, null, List.of());
  }
}
