package dev.rolegate.api.imports;

import static dev.rolegate.api.imports.Fixtures.ACCOUNT;
import static dev.rolegate.api.imports.Fixtures.json;
import static dev.rolegate.api.imports.Fixtures.load;
import static dev.rolegate.api.imports.Fixtures.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.imports.Fixtures.Encoding;
import dev.rolegate.persistence.account.AccountState;
import dev.rolegate.persistence.account.AccountState.Group;
import dev.rolegate.persistence.account.AccountState.InstanceProfile;
import dev.rolegate.persistence.account.AccountState.ManagedPolicy;
import dev.rolegate.persistence.account.AccountState.PolicyVersion;
import dev.rolegate.persistence.account.AccountState.Role;
import dev.rolegate.persistence.account.AccountState.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuthorizationDetailsReaderTest {
  private static final String ACME = "acme-authorization-details.json";
  private static final String ACME_WITHOUT_AWS_POLICIES = "acme-without-aws-managed-policies.json";
  private static final String EC2_READ_ONLY = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess";
  private static final String ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess";

  private static final AccountState ACME_STATE = read(load(ACME)).state();

  @Test
  void readsEveryEntityOfTheAccount() {
    ImportResult.Read result = read(load(ACME));
    AccountState state = result.state();
    assertEquals(ACCOUNT, state.accountId());
    assertEquals(
        List.of("alice", "bob", "carol", "dave", "erin", "ci-deployer", "frank"),
        state.users().stream().map(User::name).toList());
    assertEquals(
        List.of("PlatformEngineers", "Developers", "Admins", "ReadOnly"),
        state.groups().stream().map(Group::name).toList());
    assertEquals(
        List.of(
            "EC2-roles-for-XYZ-web",
            "EC2-roles-for-XYZ-batch",
            "Admin",
            "order-processor",
            "monitoring-agent",
            "ci-deploy"),
        state.roles().stream().map(Role::name).toList());
    assertEquals(8, state.policies().size());
    assertTrue(state.policies().stream().allMatch(ManagedPolicy::isKnown));
    assertEquals(List.of(), result.unresolved());
  }

  @Test
  void keepsPathsGroupsBoundariesAndTagsOfUsers() {
    User alice = user("alice");
    assertEquals("/platform/", alice.path());
    assertEquals("AIDAEXAMPLEALICE0001", alice.id());
    assertEquals(List.of("PlatformEngineers", "Developers", "ReadOnly"), alice.groupNames());
    assertNull(alice.boundaryArn());
    assertEquals(
        "arn:aws:iam::111122223333:policy/boundaries/PlatformBoundary", user("bob").boundaryArn());
    assertEquals(
        Map.of("team", "payments", "cost-center", "4711", "email", "carol@example.com"),
        user("carol").tags());
    assertEquals(List.of(EC2_READ_ONLY), user("frank").attachedPolicyArns());
  }

  @Test
  void platformEngineersMayPassOnlyTheXyzRolesToEc2() {
    Group platform = group("PlatformEngineers");
    String arn = "arn:aws:iam::111122223333:policy/platform/PlatformEngineerInstanceProfiles";
    assertEquals(List.of(arn), platform.attachedPolicyArns());
    JsonNode passRole = defaultDocument(policy(arn)).at("/Statement/2");
    assertEquals("iam:PassRole", passRole.get("Action").asText());
    assertEquals(
        "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*", passRole.get("Resource").asText());
    assertEquals(
        "ec2.amazonaws.com", passRole.at("/Condition/StringEquals/iam:PassedToService").asText());
  }

  @Test
  void theDefaultVersionNeedNotBeTheNewest() {
    ManagedPolicy s3 = policy("arn:aws:iam::111122223333:policy/DeveloperS3Access");
    assertEquals(
        List.of("v3", "v2", "v1"), s3.versions().stream().map(PolicyVersion::versionId).toList());
    assertEquals(
        List.of("v2"),
        s3.versions().stream()
            .filter(PolicyVersion::isDefault)
            .map(PolicyVersion::versionId)
            .toList());
  }

  @Test
  void instanceProfilesComeFromTheirRoles() {
    assertEquals(
        List.of(
            new InstanceProfile(
                "EC2-roles-for-XYZ-web",
                "/",
                "AIPAEXAMPLEXYZWEB001",
                List.of("EC2-roles-for-XYZ-web")),
            new InstanceProfile(
                "xyz-batch-profile",
                "/batch/",
                "AIPAEXAMPLEXYZBATCH2",
                List.of("EC2-roles-for-XYZ-batch")),
            new InstanceProfile(
                "monitoring-agent",
                "/platform/",
                "AIPAEXAMPLEMONITOR05",
                List.of("monitoring-agent"))),
        ACME_STATE.instanceProfiles());
  }

  @Test
  void rolesKeepTheirTrustPolicyPathAndBoundary() {
    Role lambda = role("order-processor");
    assertEquals("/service-role/", lambda.path());
    assertEquals(
        json(
            "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                + "'Principal':{'Service':'lambda.amazonaws.com'},'Action':'sts:AssumeRole'}]}"),
        lambda.trustPolicy());
    Role agent = role("monitoring-agent");
    assertEquals(
        "arn:aws:iam::111122223333:policy/boundaries/PlatformBoundary", agent.boundaryArn());
    assertEquals(Map.of("team", "platform", "data-classification", "internal"), agent.tags());
    assertEquals(List.of(ADMINISTRATOR), role("Admin").attachedPolicyArns());
  }

  @Test
  void awsManagedPoliciesKeepTheirAwsArn() {
    ManagedPolicy ec2 = policy(EC2_READ_ONLY);
    assertEquals("AmazonEC2ReadOnlyAccess", ec2.name());
    assertEquals("/", ec2.path());
    assertEquals("ec2:Describe*", defaultDocument(ec2).at("/Statement/0/Action").asText());
  }

  /** AWS keeps many versions of its own policies; five is a customer managed policy's limit. */
  @Test
  void anAwsManagedPolicyMayListMoreThanFiveVersions() {
    StringBuilder versions = new StringBuilder();
    for (int v = 55; v <= 62; v++) {
      versions
          .append(v == 55 ? "" : ",")
          .append("{'VersionId':'v")
          .append(v)
          .append("','IsDefaultVersion':")
          .append(v == 62)
          .append(",'Document':{'Version':'2012-10-17','Statement':[{'Effect':'Allow',")
          .append("'Action':'ec2:Describe*','Resource':'*'}]}}");
    }
    JsonNode input =
        json(
            "{'Policies':[{'PolicyName':'ReadOnlyAccess','Path':'/',"
                + "'Arn':'arn:aws:iam::aws:policy/ReadOnlyAccess','DefaultVersionId':'v62',"
                + "'PolicyVersionList':["
                + versions
                + "]}]}");
    ManagedPolicy readOnly =
        read(input).state().policies().stream()
            .filter(p -> p.arn().equals("arn:aws:iam::aws:policy/ReadOnlyAccess"))
            .findFirst()
            .orElseThrow();
    assertEquals(8, readOnly.versions().size());
  }

  /**
   * AWSSupportServiceRolePolicy, attached to the support role every account has, is longer than the
   * 131,072 characters the API takes from a customer: an AWS managed policy is read whatever its
   * length, a customer's is not.
   */
  @Test
  void anAwsManagedPolicyMayBeLongerThanTheApiTakesFromACustomer() {
    StringBuilder statements = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      statements
          .append(i == 0 ? "" : ",")
          .append("{'Sid':'S")
          .append(i)
          .append("','Effect':'Allow','Action':'support:DescribeCases','Resource':'*'}");
    }
    String version =
        "{'VersionId':'v1','IsDefaultVersion':true,'Document':{'Version':'2012-10-17',"
            + "'Statement':["
            + statements
            + "]}}";
    assertTrue(statements.length() > 131_072, "the document must be past the API's length");
    JsonNode aws =
        json(
            "{'Policies':[{'PolicyName':'AWSSupportServiceRolePolicy','Path':'/aws-service-role/',"
                + "'Arn':'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy',"
                + "'PolicyVersionList':["
                + version
                + "]}]}");
    assertEquals(1, read(aws).state().policies().size());
    JsonNode customer =
        json(
            "{'Policies':[{'PolicyName':'Huge','Path':'/','PolicyVersionList':["
                + version
                + "]}]}");
    ImportResult.Invalid refused =
        assertInstanceOf(
            ImportResult.Invalid.class, AuthorizationDetailsReader.read(customer, ACCOUNT));
    assertTrue(
        refused.problems().stream().anyMatch(p -> p.message().contains("IAM accepts at most")),
        refused.problems()::toString);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void everyEncodingReadsToTheSameState(Encoding encoding) {
    JsonNode input = encoding.apply(load(ACME));
    JsonNode document = input.at("/Policies/0/PolicyVersionList/0/Document");
    assertEquals(encoding != Encoding.OBJECTS, document.isTextual(), "documents re-encoded");
    assertEquals(ACME_STATE, read(input).state());
  }

  @Test
  void percentEncodedDocumentsStartWithAnEncodedBrace() {
    JsonNode input = Encoding.PERCENT_ENCODED.apply(load(ACME));
    String trust = input.at("/RoleDetailList/0/AssumeRolePolicyDocument").asText();
    assertTrue(trust.startsWith("%7B%0A%20%20%22Version%22%20%3A%20%222012-10-17%22"), trust);
  }

  @Test
  void aLiteralPlusInAPercentEncodedDocumentStaysAPlus() {
    String document =
        "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject',"
            + "'Resource':'arn:aws:s3:::acme-dev-artifacts/c++/*'}]}";
    // As a lenient encoder leaves it: `+` unencoded, which URLDecoder would turn into a space.
    String encoded = Fixtures.percentEncode(document.replace('\'', '"')).replace("%2B", "+");
    assertTrue(encoded.contains("c++"), encoded);
    JsonNode root =
        json(
            "{'UserDetailList':[{'UserName':'jane',"
                + "'UserPolicyList':[{'PolicyName':'Builds','PolicyDocument':'set below'}]}]}");
    ((ObjectNode) root.at("/UserDetailList/0/UserPolicyList/0")).put("PolicyDocument", encoded);
    JsonNode read = read(root).state().users().get(0).inlinePolicies().get(0).document();
    assertEquals(
        "arn:aws:s3:::acme-dev-artifacts/c++/*", read.at("/Statement/0/Resource").asText());
  }

  @Test
  void policiesLeftOutByAFilterAreUnknownAndListedAsUnresolved() {
    ImportResult.Read result = read(load(ACME_WITHOUT_AWS_POLICIES));
    String account = "arn:aws:iam::111122223333:";
    assertEquals(
        List.of(
            unresolved(
                "UserDetailList[6].AttachedManagedPolicies[0]",
                account + "user/frank",
                EC2_READ_ONLY),
            unresolved(
                "GroupDetailList[1].AttachedManagedPolicies[0]",
                account + "group/Developers",
                EC2_READ_ONLY),
            unresolved(
                "GroupDetailList[2].AttachedManagedPolicies[0]",
                account + "group/Admins",
                ADMINISTRATOR),
            unresolved(
                "GroupDetailList[3].AttachedManagedPolicies[0]",
                account + "group/ReadOnly",
                EC2_READ_ONLY),
            unresolved(
                "RoleDetailList[2].AttachedManagedPolicies[0]",
                account + "role/Admin",
                ADMINISTRATOR),
            unresolved(
                "RoleDetailList[4].AttachedManagedPolicies[0]",
                account + "role/platform/monitoring-agent",
                EC2_READ_ONLY)),
        result.unresolved());
    List<ManagedPolicy> unknown =
        result.state().policies().stream().filter(p -> !p.isKnown()).toList();
    assertEquals(
        List.of(
            new ManagedPolicy(EC2_READ_ONLY, "AmazonEC2ReadOnlyAccess", "/", null, List.of()),
            new ManagedPolicy(ADMINISTRATOR, "AdministratorAccess", "/", null, List.of())),
        unknown);
  }

  @Test
  void anUnknownBoundaryIsUnresolvedToo() {
    JsonNode root =
        json(
            "{'UserDetailList':[{'UserName':'jane','Path':'/ops/','PermissionsBoundary':"
                + "{'PermissionsBoundaryType':'Policy','PermissionsBoundaryArn':"
                + "'arn:aws:iam::111122223333:policy/boundaries/Ops'}}]}");
    ImportResult.Read result = read(root);
    assertEquals(
        List.of(
            unresolved(
                "UserDetailList[0].PermissionsBoundary",
                "arn:aws:iam::111122223333:user/ops/jane",
                "arn:aws:iam::111122223333:policy/boundaries/Ops")),
        result.unresolved());
    ManagedPolicy ops = result.state().policies().get(0);
    assertEquals("Ops", ops.name());
    assertEquals("/boundaries/", ops.path());
    assertFalse(ops.isKnown());
  }

  @Test
  void missingListsAreEmpty() {
    assertEquals(
        new AccountState(ACCOUNT, List.of(), List.of(), List.of(), List.of(), List.of()),
        read(json("{}")).state());
  }

  private static UnresolvedReference unresolved(String path, String entity, String policy) {
    return new UnresolvedReference(path, entity, policy);
  }

  private static User user(String name) {
    return ACME_STATE.users().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
  }

  private static Group group(String name) {
    return ACME_STATE.groups().stream()
        .filter(g -> g.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Role role(String name) {
    return ACME_STATE.roles().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private static ManagedPolicy policy(String arn) {
    return ACME_STATE.policies().stream()
        .filter(p -> p.arn().equals(arn))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode defaultDocument(ManagedPolicy policy) {
    return policy.versions().stream()
        .filter(PolicyVersion::isDefault)
        .findFirst()
        .orElseThrow()
        .document();
  }
}
