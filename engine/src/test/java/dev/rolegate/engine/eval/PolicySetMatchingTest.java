package dev.rolegate.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    ParseResult.Parsed parsed = (ParseResult.Parsed) PolicyParser.parse(json, PolicyKind.IDENTITY);
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
}
