package dev.rolegate.engine.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.policy.Statement;
import org.junit.jupiter.api.Test;

/** Documents parsed with one pool share their equal parts and parse as they would without it. */
class PartPoolTest {
  private static final String FIRST =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": "arn:aws:s3:::logs/*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}},
        {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*"}
      ]}
      """;

  /** The same parts in another document, each statement at another place and effect. */
  private static final String SECOND =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"},
        {"Sid": "Read", "Effect": "Deny", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": "arn:aws:s3:::logs/*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}},
        {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "*"}
      ]}
      """;

  @Test
  void equalPartsOfDocumentsParsedWithOnePoolAreOneObject() throws Exception {
    PartPool pool = new PartPool();
    PolicyDocument first = parse(FIRST, pool);
    PolicyDocument second = parse(SECOND, pool);
    Statement a = first.statements().get(0);
    Statement b = second.statements().get(1);
    assertSame(a.sid(), b.sid());
    assertSame(a.action(), b.action());
    assertSame(a.resource(), b.resource());
    assertSame(a.conditions(), b.conditions());
    assertSame(first.statements().get(1).action(), second.statements().get(2).action());
    assertSame(first.statements().get(1).resource(), second.statements().get(2).resource());
    // A Listed clause and an Excluded one of the same patterns stay apart.
    assertNotSame(
        (Object) second.statements().get(0).resource(), first.statements().get(1).resource());

    // Without a pool each document keeps its own parts, and the documents are equal either way.
    PolicyDocument alone = parse(SECOND, null);
    assertNotSame(a.action(), alone.statements().get(1).action());
    assertEquals(alone, second);
    assertEquals(parse(FIRST, null), first);
  }

  private static PolicyDocument parse(String json, PartPool pool) throws Exception {
    JsonNode tree = new ObjectMapper().readTree(json);
    ParseResult result =
        pool == null
            ? PolicyParser.parse(tree, PolicyKind.IDENTITY)
            : PolicyParser.parse(tree, PolicyKind.IDENTITY, pool);
    return assertInstanceOf(ParseResult.Parsed.class, result).document();
  }
}
