package dev.rolegate.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PartPool;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-action answer holds exactly the statements whose action matches, and is kept. */
class PolicySetMatchingTest {
  @Test
  void matchingKeepsTheStatementsWhoseActionMatchesInPolicyOrder() {
    String json =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
          {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:*"], "Resource": "*"},
          {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"},
          {"Effect": "Allow", "Action": "*:Associate*", "Resource": "*"},
          {"Effect": "Allow", "Action": "EC2:AssociateIamInstanceProfile", "Resource": "*"},
          {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        ]}
        """;
    // Read as stored: IAM refuses a wildcard in the service prefix when a policy is written, but a
    // store may hold one from before rolegate did, and it must match as it always has.
    ParseResult.Parsed parsed =
        (ParseResult.Parsed) PolicyParser.parseStored(json, PolicyKind.IDENTITY, new PartPool());
    SourcedPolicy policy = SourcedPolicy.of("p", PolicySourceType.USER, parsed.document());
    PolicySet set = PolicySet.of(List.of(policy), Layer.IDENTITY, 0);
    Map<String, List<Integer>> expected =
        Map.of(
            "ec2:AssociateIamInstanceProfile", List.of(1, 2, 3, 4),
            "EC2:ASSOCIATEIAMINSTANCEPROFILE", List.of(1, 2, 3, 4),
            "iam:PassRole", List.of(1, 2),
            "s3:GetObject", List.of(5),
            "sts:AssumeRole", List.of(2));
    expected.forEach(
        (action, ordinals) -> {
          Candidates first = set.matching(action);
          assertSame(first, set.matching(action), action);
          List<Integer> actual = new ArrayList<>();
          for (int i = 0; i < first.size(); i++) {
            actual.add(first.reference(i).statementIndex());
          }
          assertEquals(ordinals, actual, action);
        });
  }

  private static final String[] PATTERNS = {
    "ec2:AssociateIamInstanceProfile",
    "EC2:associateiaminstanceprofile",
    "ec2:ReplaceIamInstanceProfileAssociation",
    "ec2:Describe*",
    "ec2:*",
    "ec2:*IamInstanceProfile*",
    "ec2:Associate?amInstanceProfile",
    "iam:PassRole",
    "iam:Pass*",
    "iam:GetRole",
    "s3:GetObject",
    "s3:*",
    "*",
    "*:Associate*",
    "e?2:*",
    "sts:AssumeRole"
  };

  private static final String[] ACTIONS = {
    "ec2:AssociateIamInstanceProfile",
    "ec2:ReplaceIamInstanceProfileAssociation",
    "ec2:DisassociateIamInstanceProfile",
    "iam:PassRole",
    "s3:GetObject",
    "sts:AssumeRole",
    "kms:Decrypt"
  };

  /**
   * Sets below and above {@link PolicySet#INDEXED_FROM} statements (checked whole, or narrowed by
   * the index first) answer exactly the statements a plain reading of IAM's wildcards matches, in
   * policy order, each once, whatever mix of exact names, wildcards and NotAction they hold.
   */
  @Test
  void setsWithAndWithoutAnIndexAnswerTheStatementsWhoseActionMatches() {
    Random random = new Random(7);
    for (int round = 0; round < 60; round++) {
      int n = 1 + random.nextInt(2 * PolicySet.INDEXED_FROM);
      List<String> statements = new ArrayList<>();
      List<List<String>> patterns = new ArrayList<>();
      List<Boolean> excluded = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> some = new ArrayList<>();
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          some.add(PATTERNS[random.nextInt(PATTERNS.length)]);
        }
        boolean not = random.nextInt(10) == 0;
        patterns.add(some);
        excluded.add(not);
        statements.add(
            "{\"Effect\": \"Allow\", \""
                + (not ? "NotAction" : "Action")
                + "\": [\""
                + String.join("\", \"", some)
                + "\"], \"Resource\": \"*\"}");
      }
      // Split into two policies, so that ordinals run across the set's policies; each is named
      // for the position of its first statement in the set.
      int cut = random.nextInt(n + 1);
      List<SourcedPolicy> policies = new ArrayList<>();
      for (int[] range : new int[][] {{0, cut}, {cut, n}}) {
        int from = range[0];
        List<String> part = statements.subList(from, range[1]);
        if (part.isEmpty()) {
          continue;
        }
        String json =
            "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", part) + "]}";
        ParseResult.Parsed parsed =
            (ParseResult.Parsed)
                PolicyParser.parseStored(json, PolicyKind.IDENTITY, new PartPool()); // as above
        policies.add(
            SourcedPolicy.of(String.valueOf(from), PolicySourceType.USER, parsed.document()));
      }
      PolicySet set = PolicySet.of(policies, Layer.IDENTITY, 0);
      for (String action : ACTIONS) {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          boolean any = patterns.get(i).stream().anyMatch(p -> glob(p).matcher(action).matches());
          if (any != excluded.get(i)) {
            expected.add(i);
          }
        }
        Candidates answer = set.matching(action);
        List<Integer> actual = new ArrayList<>();
        for (int i = 0; i < answer.size(); i++) {
          MatchedStatement m = answer.reference(i);
          actual.add(Integer.parseInt(m.sourcePolicyId()) + m.statementIndex());
        }
        assertEquals(expected, actual, n + " statements, " + action);
      }
    }
  }

  /** IAM's action wildcards as a regular expression, ignoring case. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(
          switch (c) {
            case '*' -> ".*";
            case '?' -> ".";
            default -> Pattern.quote(String.valueOf(c));
          });
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
