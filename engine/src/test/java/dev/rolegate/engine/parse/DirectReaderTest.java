package dev.rolegate.engine.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading a policy straight from its text gives the document the tree parser gives, and leaves
 * every text it does not take to the parser, so that {@code parse(text, kind, pool)} answers as
 * {@code parse(text, kind)} for any text.
 */
class DirectReaderTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""",
        """
        {"Statement":{"Sid":"One","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::b/*"},"Version":"2012-10-17","Id":"x"}""",
        """
        {"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":["ec2:*"],"Resource":["arn:aws:ec2:*:*:instance/*"]}]}""",
        """
        {"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"pay*"},"StringEquals":{"aws:PrincipalTag/team":"data","aws:PrincipalTag/env":"prod"}}}]}""",
        """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/${aws:username}-*",
           "Condition":{"StringEquals":{"iam:PassedToService":["ec2.amazonaws.com","lambda.amazonaws.com"]},
                        "IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"ForAnyValue:StringLike":{"aws:TagKeys":"team*"}}},
          {"Sid":"","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"""
      })
  void aPlainPolicyIsReadAsTheParserReadsIt(String text) {
    for (PolicyKind kind :
        List.of(PolicyKind.IDENTITY, PolicyKind.SERVICE_CONTROL, PolicyKind.PERMISSIONS_BOUNDARY)) {
      PolicyDocument direct = DirectReader.read(text, kind, new PartPool());
      assertNotNull(direct, text);
      assertEquals(tree(text, kind), direct, text);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // numbers and booleans as condition values
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":10}}}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true}}}]}""",
        // a principal, an unknown element, a misspelt one
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Extra":1}]}""",
        """
        {"version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        // values the parser refuses
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3 GetObject","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"nowhere"}}}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{}}}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Sid":"A-1","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}""",
        // a missing or doubled element, empty lists, a repeated key, other shapes
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}],"Statement":[]}""",
        """
        {"Version":"2012-10-17","Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Sid":"A","Sid":"B","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Action":"s3:Get*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Resource":"*"}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"a:b":"true"}},"Condition":{}}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"a:b":"true"},"Bool":{"a:c":"true"}}}]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"a:b":"x","a:b":"y"}}}]}""",
        """
        {"Version":"2012-10-17","Statement":["s3:*"]}""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]} []""",
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}""",
        """
        {"Version":2012,"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
        "[]",
        ""
      })
  void anyOtherTextIsLeftToTheParserWhichAnswersAsAlways(String text) {
    assertNull(DirectReader.read(text, PolicyKind.IDENTITY, new PartPool()), text);
    assertEquals(
        PolicyParser.parse(text, PolicyKind.IDENTITY),
        PolicyParser.parse(text, PolicyKind.IDENTITY, new PartPool()),
        text);
  }

  @Test
  void trustPoliciesAreLeftToTheParser() {
    String trust =
        """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    assertNull(DirectReader.read(trust, PolicyKind.TRUST, new PartPool()));
    assertEquals(
        PolicyParser.parse(trust, PolicyKind.TRUST),
        PolicyParser.parse(trust, PolicyKind.TRUST, new PartPool()));
  }

  private static final String[] ACTIONS = {
    "s3:GetObject", "s3:*", "ec2:AssociateIamInstanceProfile", "iam:PassRole", "*", "ec2:Describe*"
  };
  private static final String[] RESOURCES = {
    "*", "arn:aws:s3:::logs/*", "arn:aws:iam::111122223333:role/app-*", "arn:aws:ec2:*:*:instance/*"
  };
  private static final String[] CONDITIONS = {
    "\"StringEquals\":{\"iam:PassedToService\":\"ec2.amazonaws.com\"}",
    "\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"203.0.113.7\"]}",
    "\"StringLike\":{\"aws:PrincipalTag/team\":\"pay*\",\"ec2:ResourceTag/env\":\"prod\"}",
    "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}",
    "\"Null\":{\"aws:TokenIssueTime\":\"false\"}"
  };

  /**
   * Many random plain policies, with one pool for all as a load has: each as the parser reads it.
   */
  @Test
  void randomPlainPoliciesAreReadAsTheParserReadsThem() {
    Random random = new Random(11);
    PartPool pool = new PartPool();
    for (int round = 0; round < 500; round++) {
      List<String> statements = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
        StringBuilder s = new StringBuilder("{");
        if (random.nextInt(3) == 0) {
          s.append("\"Sid\":\"S").append(i).append("\",");
        }
        s.append("\"Effect\":\"").append(random.nextBoolean() ? "Allow" : "Deny").append("\",");
        s.append(random.nextInt(8) == 0 ? "\"NotAction\":" : "\"Action\":")
            .append(list(random, ACTIONS))
            .append(',');
        s.append(random.nextInt(8) == 0 ? "\"NotResource\":" : "\"Resource\":")
            .append(list(random, RESOURCES));
        if (random.nextInt(3) == 0) {
          s.append(",\"Condition\":{").append(CONDITIONS[random.nextInt(CONDITIONS.length)]);
          if (random.nextBoolean()) {
            s.append(',').append(CONDITIONS[random.nextInt(CONDITIONS.length)]);
          }
          s.append('}');
        }
        statements.add(s.append('}').toString());
      }
      String text =
          "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
      ParseResult expected = PolicyParser.parse(text, PolicyKind.IDENTITY);
      if (expected instanceof ParseResult.Parsed) {
        assertNotNull(DirectReader.read(text, PolicyKind.IDENTITY, pool), text);
      }
      assertEquals(expected, PolicyParser.parse(text, PolicyKind.IDENTITY, pool), text);
    }
  }

  private static String list(Random random, String[] values) {
    if (random.nextBoolean()) {
      return "\"" + values[random.nextInt(values.length)] + "\"";
    }
    List<String> some = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      some.add("\"" + values[random.nextInt(values.length)] + "\"");
    }
    return "[" + String.join(",", some) + "]";
  }

  private static PolicyDocument tree(String text, PolicyKind kind) {
    return assertInstanceOf(ParseResult.Parsed.class, PolicyParser.parse(text, kind)).document();
  }
}
