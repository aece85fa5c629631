package dev.rolegate.api.imports;

import static dev.rolegate.api.imports.Fixtures.ACCOUNT;
import static dev.rolegate.api.imports.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.engine.parse.Problem;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Inputs the reader must refuse, each with the path and wording of the problem it reports. */
class AuthorizationDetailsProblemsTest {
  private static final String IDENTITY =
      "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject',"
          + "'Resource':'*'}]}";
  private static final String TRUST =
      "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
          + "'Principal':{'Service':'ec2.amazonaws.com'},'Action':'sts:AssumeRole'}]}";

  /** One bad input; {@code problems} is how many it must produce in all. */
  record Case(String name, JsonNode input, String path, String fragment, int problems) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> badInputs() {
    return Stream.of(
        bad("input that is not an object", json("[]"), "", "expected a JSON object, not an array"),
        bad("unknown top-level field", json("{'Users':[]}"), "Users", "unknown field `Users`"),
        bad(
            "unknown field in a user",
            users("{'UserName':'jane','Password':'hunter2'}"),
            "UserDetailList[0].Password",
            "unknown field `Password`: expected `Arn`, `AttachedManagedPolicies`"),
        bad(
            "list that is not an array",
            json("{'UserDetailList':{}}"),
            "UserDetailList",
            "`UserDetailList` must be an array, not an object"),
        bad(
            "name that is not a string",
            users("{'UserName':42}"),
            "UserDetailList[0].UserName",
            "expected a string, not a number"),
        bad(
            "flag that is not a boolean",
            json("{'IsTruncated':'false'}"),
            "IsTruncated",
            "`IsTruncated` must be true or false, not a string"),
        bad(
            "missing name",
            users("{'Path':'/'}"),
            "UserDetailList[0]",
            "the field `UserName` is missing"),
        bad(
            "truncated output",
            json("{'UserDetailList':[],'IsTruncated':true,'Marker':'AAEAAQ'}"),
            "IsTruncated",
            "the output is truncated"),
        bad(
            "bad percent escape",
            userPolicy("%7B%22Version%ZZ"),
            "UserDetailList[0].UserPolicyList[0].PolicyDocument",
            "`%ZZ` at byte 13 is not a percent escape"),
        bad(
            "percent-encoded invalid UTF-8",
            userPolicy("%7B%22Sid%22%3A%22%C3%28%22%7D"),
            "UserDetailList[0].UserPolicyList[0].PolicyDocument",
            "not valid UTF-8"),
        bad(
            "document that is a number",
            userPolicy(json("7")),
            "UserDetailList[0].UserPolicyList[0].PolicyDocument",
            "must be a JSON object or a string, not a number"),
        bad(
            "document string with a duplicate key",
            userPolicy("{\"Version\":\"2012-10-17\",\"Version\":\"2012-10-17\",\"Statement\":[]}"),
            "UserDetailList[0].UserPolicyList[0].PolicyDocument",
            "Duplicate field 'Version'"),
        bad(
            "document string with trailing text",
            userPolicy(json(IDENTITY).toString() + " {}"),
            "UserDetailList[0].UserPolicyList[0].PolicyDocument",
            "malformed JSON at line 1"),
        bad(
            "invalid statement in a trust policy",
            roles(role("web", TRUST.replace("'Allow'", "'allow'"))),
            "RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Effect",
            "`allow` is not an effect"),
        bad(
            "invalid statement in a percent-encoded managed policy",
            policies(
                policy("p", version("v1", encoded(IDENTITY.replace("s3:GetObject", "s3")), true))),
            "Policies[0].PolicyVersionList[0].Document.Statement[0].Action",
            "`s3` is not an action"),
        bad(
            "user ARN in another account",
            users("{'UserName':'jane','Arn':'arn:aws:iam::444455556666:user/jane'}"),
            "UserDetailList[0].Arn",
            "the ARN `arn:aws:iam::444455556666:user/jane` belongs to account `444455556666`,"
                + " not `111122223333`"),
        bad(
            "user ARN without the path",
            users("{'UserName':'jane','Path':'/ops/','Arn':'arn:aws:iam::111122223333:user/jane'}"),
            "UserDetailList[0].Arn",
            "expected `arn:aws:iam::111122223333:user/ops/jane`"),
        bad(
            "attached policy of another account",
            users(
                "{'UserName':'jane','AttachedManagedPolicies':[{'PolicyName':'P',"
                    + "'PolicyArn':'arn:aws:iam::444455556666:policy/P'}]}"),
            "UserDetailList[0].AttachedManagedPolicies[0].PolicyArn",
            "belongs to account `444455556666`"),
        bad(
            "attached policy name that disagrees with its ARN",
            users(
                "{'UserName':'jane','AttachedManagedPolicies':[{'PolicyName':'ReadOnly',"
                    + "'PolicyArn':'arn:aws:iam::aws:policy/ReadOnlyAccess'}]}"),
            "UserDetailList[0].AttachedManagedPolicies[0].PolicyName",
            "the policy name `ReadOnly` does not match the ARN"),
        bad(
            "user names differing only in case",
            users("{'UserName':'jane'}", "{'UserName':'Jane'}"),
            "UserDetailList[1].UserName",
            "`Jane` clashes with `jane` at `UserDetailList[0].UserName`: IAM compares these names"
                + " case-insensitively"),
        bad(
            "inline policy names repeated",
            users(
                "{'UserName':'jane','UserPolicyList':["
                    + String.join(",", List.of(inline("P"), inline("P")))
                    + "]}"),
            "UserDetailList[0].UserPolicyList[1].PolicyName",
            "the inline policy name `P` is already listed at"),
        bad(
            "tag keys differing only in case",
            users(
                "{'UserName':'jane','Tags':[{'Key':'team','Value':'a'},{'Key':'Team','Value':'b'}]}"),
            "UserDetailList[0].Tags[1].Key",
            "the tag key `Team` clashes with `team`"),
        bad(
            "two default versions",
            policies(policy("p", version("v1", IDENTITY, true), version("v2", IDENTITY, true))),
            "Policies[0].PolicyVersionList[1].IsDefaultVersion",
            "`v2` is marked as the default version, and so is `v1`"),
        bad(
            "no default version",
            policies(policy("p", version("v1", IDENTITY, false))),
            "Policies[0].PolicyVersionList",
            "no version has `IsDefaultVersion` true"),
        bad(
            "DefaultVersionId naming another version",
            policies(
                policy("p", version("v1", IDENTITY, true), version("v2", IDENTITY, false))
                    .put("DefaultVersionId", "v2")),
            "Policies[0].DefaultVersionId",
            "`DefaultVersionId` is `v2`, but the version marked as default is `v1`"),
        bad(
            "six versions",
            policies(
                policy(
                    "p",
                    IntStream.rangeClosed(1, 6)
                        .mapToObj(i -> version("v" + i, IDENTITY, i == 1))
                        .toArray(JsonNode[]::new))),
            "Policies[0].PolicyVersionList",
            "the policy `p` lists 6 versions: IAM keeps at most 5"),
        bad(
            "bad version id",
            policies(policy("p", version("V1", IDENTITY, true))),
            "Policies[0].PolicyVersionList[0].VersionId",
            "`V1` is not a policy version id"),
        bad(
            "managed policy listed twice",
            policies(
                policy("p", version("v1", IDENTITY, true)),
                policy("p", version("v1", IDENTITY, true))),
            "Policies[1]",
            "the policy ARN `arn:aws:iam::111122223333:policy/p` is already listed at `Policies[0]`"),
        bad(
            "oversized customer managed policy",
            policies(policy("p", version("v1", identityOfSize(6_200), true))),
            "Policies[0].PolicyVersionList[0].Document",
            "characters without whitespace: the limit is 6144"),
        bad(
            "unknown group in GroupList",
            users("{'UserName':'jane','GroupList':['Ghosts']}"),
            "UserDetailList[0].GroupList[0]",
            "the group `Ghosts` is not in `GroupDetailList`"),
        bad(
            "oversized inline policies",
            userPolicy(json(identityOfSize(2_100))),
            "UserDetailList[0].UserPolicyList",
            "the inline policies of user `jane` together has 2"),
        bad(
            "oversized trust policy",
            roles(role("web", trustOfSize(4_200))),
            "RoleDetailList[0].AssumeRolePolicyDocument",
            "the trust policy has 4"),
        bad(
            "twenty-one attached policies",
            users(
                "{'UserName':'jane','AttachedManagedPolicies':["
                    + String.join(
                        ",",
                        IntStream.rangeClosed(1, 21)
                            .mapToObj(
                                i -> "{'PolicyArn':'arn:aws:iam::111122223333:policy/P" + i + "'}")
                            .toList())
                    + "]}"),
            "UserDetailList[0].AttachedManagedPolicies",
            "21 managed policies are attached: IAM allows at most 20"),
        bad(
            "bad name characters",
            users("{'UserName':'jane doe'}"),
            "UserDetailList[0].UserName",
            "the user name `jane doe` may hold only letters, digits and `+ = , . @ _ -`"),
        bad(
            "path without its slashes",
            users("{'UserName':'jane','Path':'ops'}"),
            "UserDetailList[0].Path",
            "the path `ops` must begin and end with `/`"),
        bad(
            "boundary of another type",
            users(
                "{'UserName':'jane','PermissionsBoundary':{'PermissionsBoundaryType':'Role',"
                    + "'PermissionsBoundaryArn':'arn:aws:iam::aws:policy/ReadOnlyAccess'}}"),
            "UserDetailList[0].PermissionsBoundary.PermissionsBoundaryType",
            "`Role` is not a permissions boundary type"),
        bad(
            "role without a trust policy",
            json("{'RoleDetailList':[{'RoleName':'web'}]}"),
            "RoleDetailList[0]",
            "the field `AssumeRolePolicyDocument` is missing"),
        bad(
            "instance profile not naming its role",
            roles(
                role("web", TRUST)
                    .set(
                        "InstanceProfileList", json("[" + profile("web", "AIPA1", "batch") + "]"))),
            "RoleDetailList[0].InstanceProfileList[0].Roles",
            "is listed under role `web`, but its `Roles` do not name that role"),
        bad(
            "conflicting instance profile",
            roles(
                role("web", TRUST)
                    .set(
                        "InstanceProfileList", json("[" + profile("shared", "AIPA1", "web") + "]")),
                role("batch", TRUST)
                    .set(
                        "InstanceProfileList",
                        json("[" + profile("shared", "AIPA2", "batch") + "]"))),
            "RoleDetailList[1].InstanceProfileList[0].InstanceProfileId",
            "the instance profile `shared` was listed at `RoleDetailList[0].InstanceProfileList[0]`"
                + " with id `AIPA1`, here with `AIPA2`",
            2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void reportsTheProblemAtItsPath(Case c) {
    List<Problem> problems = problems(c.input());
    assertTrue(
        problems.stream()
            .anyMatch(p -> p.path().equals(c.path()) && p.message().contains(c.fragment())),
        () -> "expected `" + c.path() + ": ..." + c.fragment() + "...` in " + problems);
    assertEquals(c.problems(), problems.size(), problems::toString);
  }

  @Test
  void aConflictingInstanceProfileAlsoHoldsTwoRoles() {
    JsonNode input =
        roles(
            role("web", TRUST)
                .set("InstanceProfileList", json("[" + profile("shared", "AIPA1", "web") + "]")),
            role("batch", TRUST)
                .set("InstanceProfileList", json("[" + profile("shared", "AIPA1", "batch") + "]")));
    assertEquals(
        List.of(
            new Problem(
                "RoleDetailList[1].InstanceProfileList[0].Roles",
                "the instance profile `shared` would hold roles `web`, `batch`: an instance profile"
                    + " holds at most one role")),
        problems(input));
  }

  @Test
  void collectsProblemsFromEveryEntity() {
    JsonNode input =
        json(
            "{'UserDetailList':[{'UserName':'ok','Extra':1},{'UserName':'a b'}],"
                + "'GroupDetailList':[{'GroupName':'g','Path':'x'}],'Marker':5}");
    assertEquals(
        List.of(
            "Marker",
            "UserDetailList[0].Extra",
            "UserDetailList[1].UserName",
            "GroupDetailList[0].Path"),
        problems(input).stream().map(Problem::path).toList());
  }

  @Test
  void listsAtMostOneHundredProblemsAndCountsTheRest() {
    ArrayNode users = Fixtures.JSON.createArrayNode();
    IntStream.range(0, 150).forEach(i -> users.addObject().put("UserName", "bad name " + i));
    ObjectNode input = Fixtures.JSON.createObjectNode();
    input.set("UserDetailList", users);
    List<Problem> problems = problems(input);
    assertEquals(101, problems.size());
    assertEquals(
        new Problem("", "50 more problems were found: only the first 100 are listed"),
        problems.get(100));
  }

  @Test
  void refusesAnAccountIdThatIsNotTwelveDigits() {
    ImportResult.Invalid invalid =
        assertInstanceOf(
            ImportResult.Invalid.class, AuthorizationDetailsReader.read(json("{}"), "1111-2222"));
    assertEquals(
        List.of(new Problem("", "the account id `1111-2222` must be 12 digits")),
        invalid.problems());
  }

  // ---- inputs

  private static Case bad(String name, JsonNode input, String path, String fragment) {
    return new Case(name, input, path, fragment, 1);
  }

  private static Case bad(String name, JsonNode input, String path, String fragment, int count) {
    return new Case(name, input, path, fragment, count);
  }

  private static List<Problem> problems(JsonNode input) {
    return assertInstanceOf(
            ImportResult.Invalid.class, AuthorizationDetailsReader.read(input, ACCOUNT))
        .problems();
  }

  private static ObjectNode users(String... users) {
    return (ObjectNode) json("{'UserDetailList':[" + String.join(",", users) + "]}");
  }

  /** User `jane` with one inline policy whose document is {@code document}. */
  private static ObjectNode userPolicy(JsonNode document) {
    ObjectNode root = users("{'UserName':'jane','UserPolicyList':[{'PolicyName':'P'}]}");
    ((ObjectNode) root.at("/UserDetailList/0/UserPolicyList/0")).set("PolicyDocument", document);
    return root;
  }

  private static ObjectNode userPolicy(String document) {
    return userPolicy(Fixtures.JSON.getNodeFactory().textNode(document));
  }

  private static ObjectNode roles(ObjectNode... roles) {
    ObjectNode root = Fixtures.JSON.createObjectNode();
    root.putArray("RoleDetailList").addAll(List.of(roles));
    return root;
  }

  private static ObjectNode role(String name, String trust) {
    ObjectNode role = (ObjectNode) json("{'RoleName':'" + name + "'}");
    role.set("AssumeRolePolicyDocument", json(trust));
    return role;
  }

  private static String inline(String name) {
    return "{'PolicyName':'" + name + "','PolicyDocument':" + IDENTITY + "}";
  }

  private static String profile(String name, String id, String roleName) {
    return "{'InstanceProfileName':'"
        + name
        + "','InstanceProfileId':'"
        + id
        + "','Roles':[{'RoleName':'"
        + roleName
        + "'}]}";
  }

  private static ObjectNode policies(ObjectNode... policies) {
    ObjectNode root = Fixtures.JSON.createObjectNode();
    root.putArray("Policies").addAll(List.of(policies));
    return root;
  }

  private static ObjectNode policy(String name, JsonNode... versions) {
    ObjectNode policy = (ObjectNode) json("{'PolicyName':'" + name + "'}");
    policy.putArray("PolicyVersionList").addAll(List.of(versions));
    return policy;
  }

  /** A version whose document is given as single-quoted JSON, or as an encoded string. */
  private static JsonNode version(String id, String document, boolean isDefault) {
    ObjectNode version = Fixtures.JSON.createObjectNode();
    version.set(
        "Document",
        document.startsWith("%")
            ? Fixtures.JSON.getNodeFactory().textNode(document)
            : json(document));
    return version.put("VersionId", id).put("IsDefaultVersion", isDefault);
  }

  private static String encoded(String singleQuoted) {
    return Fixtures.percentEncode(singleQuoted.replace('\'', '"'));
  }

  /** An identity policy of at least {@code size} characters without whitespace. */
  private static String identityOfSize(int size) {
    return IDENTITY.replace("'*'", "['" + resources(size) + "']");
  }

  private static String trustOfSize(int size) {
    return TRUST.replace(
        "'Action':'sts:AssumeRole'",
        "'Action':'sts:AssumeRole','Condition':{'StringLike':{'aws:SourceArn':['"
            + resources(size)
            + "']}}");
  }

  private static String resources(int size) {
    String one = "arn:aws:s3:::acme-bucket-with-a-long-name/*";
    return String.join("','", java.util.Collections.nCopies(size / one.length() + 1, one));
  }
}
