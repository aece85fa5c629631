package dev.rolegate.engine.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.ConditionOperator;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.ResourceClause;
import dev.rolegate.engine.policy.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

  private static PolicyDocument parsed(String json, PolicyKind kind) {
    ParseResult r = PolicyParser.parse(json, kind);
    if (r instanceof ParseResult.Invalid inv) {
      throw new AssertionError("expected a valid policy, got " + inv.problems());
    }
    return ((ParseResult.Parsed) r).document();
  }

  private static List<Problem> problems(String json, PolicyKind kind) {
    return assertInstanceOf(ParseResult.Invalid.class, PolicyParser.parse(json, kind)).problems();
  }

  @Test
  void aSingleStatementObjectAndStringValuesAreAccepted() {
    PolicyDocument d =
        parsed(
            """
            {"Version": "2012-10-17", "Statement":
              {"Sid": "One", "Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"}}
            """,
            PolicyKind.IDENTITY);
    assertEquals(PolicyLanguage.V2012_10_17, d.language());
    Statement s = d.statements().get(0);
    assertEquals(Effect.DENY, s.effect());
    assertEquals(new ActionClause.Excluded(List.of("iam:*")), s.action());
    assertEquals(new ResourceClause.Excluded(List.of("*")), s.resource());
    assertEquals(0, s.index());
  }

  /**
   * IAM refuses a wildcard in an action's service prefix ("Action vendors must not contain
   * wildcards"); only {@code "*"} stands for every service. A document written to rolegate is
   * refused the same way, each such action named with its place, by the tree parser and the direct
   * reader alike. Read back from the store it is taken as before: a store may hold one from before
   * rolegate refused them, and leaving that policy out would drop its Denies.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"*:*\"|Statement[0].Action",
        "[\"s3:GetObject\", \"i?m:PassRole\"]|Statement[0].Action[1]",
        "[\"dynamodb*:TagResource\"]|Statement[0].Action[0]"
      })
  void aWildcardInTheServicePrefixIsRefusedWhenWrittenAndReadWhenStored(String actions, String at)
      throws Exception {
    String json =
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": "
            + actions
            + ", \"Resource\": \"*\"}]}";
    String action = at.endsWith("[1]") ? "i?m:PassRole" : actions.replaceAll("[\\[\\]\" ]", "");
    List<Problem> written = problems(json, PolicyKind.IDENTITY);
    assertEquals(
        List.of(
            new Problem(
                at,
                "`"
                    + action
                    + "` has a wildcard in its service prefix, which IAM refuses: name the service"
                    + " (`iam:PassRole`, `ec2:*`), or write `*` for every action of every service")),
        written);
    assertEquals(
        written,
        assertInstanceOf(
                ParseResult.Invalid.class,
                PolicyParser.parse(json, PolicyKind.IDENTITY, new PartPool()))
            .problems());
    ParseResult stored = PolicyParser.parseStored(json, PolicyKind.IDENTITY, new PartPool());
    PolicyDocument document = assertInstanceOf(ParseResult.Parsed.class, stored).document();
    assertTrue(document.statements().get(0).action().patterns().contains(action), json);
    // The direct reader (text) and the tree parser read a stored document alike.
    assertEquals(
        stored, PolicyParser.parseStored(new ObjectMapper().readTree(json), PolicyKind.IDENTITY));
  }

  @Test
  void aMissingVersionMeansVariablesAreLiteral() {
    PolicyDocument d =
        parsed(
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
            PolicyKind.IDENTITY);
    assertEquals(PolicyLanguage.UNSPECIFIED, d.language());
    assertTrue(!d.language().hasVariables());
  }

  @Test
  void conditionsBecomeOneEntryPerOperatorAndKey() {
    PolicyDocument d =
        parsed(
            """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
              "Resource": "*", "Condition": {
                "ForAnyValue:StringNotLikeIfExists": {"aws:TagKeys": ["a*", "b"], "aws:x": "y"},
                "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}}]}
            """,
            PolicyKind.IDENTITY);
    var conditions = d.statements().get(0).conditions();
    assertEquals(3, conditions.size());
    ConditionOperator op = conditions.get(0).operator();
    assertEquals(ConditionOperator.SetQualifier.FOR_ANY_VALUE, op.qualifier());
    assertTrue(op.negated());
    assertTrue(op.ifExists());
    assertEquals(List.of("a*", "b"), conditions.get(0).values());
    assertEquals(List.of("3600"), conditions.get(2).values());
  }

  @Test
  void aTrustPolicyNeedsAPrincipalAndNoResource() {
    PolicyDocument d =
        parsed(
            """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}
            """,
            PolicyKind.TRUST);
    assertTrue(
        d.statements().get(0).principal().orElseThrow().names("Service", "ec2.amazonaws.com"));
    List<Problem> p =
        problems(
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\"}]}",
            PolicyKind.TRUST);
    assertEquals("Statement[0]", p.get(0).path());
    assertTrue(p.get(0).message().contains("Principal"));
  }

  @Test
  void aDuplicatedKeyIsRefusedWithItsLocation() {
    List<Problem> p =
        problems(
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Effect\":"
                + " \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]}",
            PolicyKind.IDENTITY);
    assertTrue(p.get(0).message().contains("Duplicate field 'Effect'"), p.toString());
    assertTrue(p.get(0).message().contains("line 1"), p.toString());
  }

  @Test
  void malformedJsonIsAProblemNotAnException() {
    List<Problem> p = problems("{\"Statement\": [", PolicyKind.IDENTITY);
    assertTrue(p.get(0).message().startsWith("malformed JSON"), p.toString());
    assertEquals("", p.get(0).path());
    assertTrue(problems("", PolicyKind.IDENTITY).get(0).message().contains("empty"));
  }

  @Test
  void everyProblemOfADocumentIsReportedNotOnlyTheFirst() {
    List<Problem> p =
        problems(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Permit", "Action": "iam:PassRole", "Resource": "*"},
              {"Effect": "Allow", "Action": "PassRole", "Resource": "role/x"}]}
            """,
            PolicyKind.IDENTITY);
    assertEquals(
        List.of("Statement[0].Effect", "Statement[1].Action", "Statement[1].Resource"),
        p.stream().map(Problem::path).toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          NotPrincipal in a trust policy | TRUST | {"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}]} | Statement[0].NotPrincipal | not allowed in a trust policy
          unknown principal type | TRUST | {"Statement":[{"Effect":"Allow","Principal":{"Services":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]} | Statement[0].Principal.Services | not a principal type
          principal text other than * | RESOURCE | {"Statement":[{"Effect":"Allow","Principal":"ec2","Action":"s3:*","Resource":"*"}]} | Statement[0].Principal | is `*` or an object
          Principal in an SCP | SERVICE_CONTROL | {"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]} | Statement[0].Principal | identity-based
          unknown top-level element | IDENTITY | {"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Statements":[]} | Statements | not a policy element
          Id that is not a string | IDENTITY | {"Id":7,"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]} | Id | must be a string
          missing Statement | IDENTITY | {"Version":"2012-10-17"} | '' | no `Statement`
          statement that is not an object | IDENTITY | {"Statement":["Allow"]} | Statement[0] | must be a JSON object
          action list element not a string | IDENTITY | {"Statement":[{"Effect":"Allow","Action":["iam:PassRole",3],"Resource":"*"}]} | Statement[0].Action[1] | expected a string
          empty action list | IDENTITY | {"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]} | Statement[0].Action | empty
          Resource and NotResource | IDENTITY | {"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]} | Statement[0] | not both
          operator value not an object | IDENTITY | {"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":"true"}}]} | Statement[0].Condition.Bool | object of condition keys
          condition value object | IDENTITY | {"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{"a":1}}}}]} | Statement[0].Condition.StringEquals.k | string, number, boolean
          IPv6 zone id | IDENTITY | {"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"fe80::1%eth0"}}}]} | Statement[0].Condition.IpAddress.aws:SourceIp | not an IP
          date variable | IDENTITY | {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"${aws:TokenIssueTime}"}}}]} | Statement[0].Condition.DateLessThan.aws:CurrentTime | policy variables
          Bool variable | IDENTITY | {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${aws:x}"}}}]} | Statement[0].Condition.Bool.aws:SecureTransport | policy variables
          """)
  void invalidDocumentsNameThePathAndTheReason(
      String name, PolicyKind kind, String json, String path, String message) {
    List<Problem> p = problems(json, kind);
    assertEquals(path, p.get(0).path(), p.toString());
    assertTrue(p.get(0).message().contains(message), p.get(0).message());
  }

  @Test
  void problemsNestUnderTheirParent() {
    assertEquals(
        "identityPolicies[2].Statement[0]",
        new Problem("Statement[0]", "x").under("identityPolicies[2]").path());
    assertEquals("sessionPolicy", new Problem("", "x").under("sessionPolicy").path());
  }

  @Test
  void variablesAreOnlyCheckedUnderVersion2012() {
    // Under 2008-10-17 `${...}` is literal text, so it is no variable in a Numeric operator...
    List<Problem> p =
        problems(
            "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"NumericEquals\":{\"k\":\"${x}\"}}}]}",
            PolicyKind.IDENTITY);
    // ...but it is still not a number.
    assertTrue(p.get(0).message().contains("not a number"), p.toString());
  }

  /**
   * Sids, actions and resource ARNs are checked by hand: on random text dense in the characters
   * that matter they answer as the regular expressions and the split they replace.
   */
  @Test
  void handWrittenChecksAgreeWithTheExpressionsTheyReplace() {
    java.util.regex.Pattern action = java.util.regex.Pattern.compile("[A-Za-z0-9*?-]+:[^:]+");
    java.util.regex.Pattern sid = java.util.regex.Pattern.compile("[A-Za-z0-9]*");
    String[] pieces = {
      "arn", "aws", "iam", "ec2", ":", ":", ":", "*", "?", "-", "/", "a", "Z", "9", "${", "}", "$",
      "{", " ", "é", "_", "."
    };
    java.util.Random random = new java.util.Random(20261202);
    int validResources = 0;
    for (int i = 0; i < 300_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(14);
      for (int k = 0; k < n; k++) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = random.nextInt(4) == 0 ? "arn:aws:" + b : b.toString();
      assertEquals(action.matcher(text).matches(), PolicyParser.isAction(text), text);
      assertEquals(sid.matcher(text).matches(), PolicyParser.isSid(text), text);
      for (PolicyLanguage language : PolicyLanguage.values()) {
        Optional<String> expected = resourceProblemBySplit(text, language);
        assertEquals(expected, PolicyParser.resourceProblem(text, language), text);
        validResources += expected.isEmpty() ? 1 : 0;
      }
    }
    assertTrue(validResources > 10_000, "too few valid resources: " + validResources);
  }

  /**
   * The check written another way: variables masked with a regular expression (a colon inside one
   * cuts nothing), then String.split.
   */
  private static Optional<String> resourceProblemBySplit(String r, PolicyLanguage language) {
    if (r.equals("*")) {
      return Optional.empty();
    }
    String masked =
        language.hasVariables()
            ? java.util.regex.Pattern.compile("\\$\\{[^}]*}")
                .matcher(r)
                .replaceAll(m -> "V".repeat(m.group().length()))
            : r;
    String[] cut = masked.split(":", 6);
    if (cut.length < 4 || !cut[0].equals("arn")) {
      return Optional.of(
          "`"
              + r
              + "` is not a resource: write `*` or an ARN (`arn:partition:service:region:account:"
              + "resource`, or shorter, such as `arn:aws:logs:*`)");
    }
    int serviceStart = cut[0].length() + cut[1].length() + 2;
    String service = r.substring(serviceStart, serviceStart + cut[2].length());
    if (service.contains("*") || service.contains("?")) {
      return Optional.of("`" + r + "`: the service part of a resource ARN takes no wildcard");
    }
    if (language.hasVariables() && service.contains("${")) {
      return Optional.of(
          "`"
              + r
              + "`: policy variables are allowed in an ARN's partition, region, account and"
              + " resource parts, not in its service");
    }
    return Optional.empty();
  }
}
