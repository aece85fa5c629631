package dev.rolegate.engine.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An ARN cut once matches every pattern as the ARN text itself does. */
class ArnTargetTest {
  private static final VariableSource USER = Map.of("aws:username", "alice")::get;

  @Test
  void aCutArnMatchesLikeItsText() {
    List<String> patterns =
        List.of(
            "*",
            "arn:aws:ec2:*:111122223333:instance/*",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            "arn:aws:iam::111122223333:user/${aws:username}",
            "arn:aws:iam::*:role/a:b/*",
            "arn:aws:s3:::bucket",
            "arn:aws:ec2:*:instance/*",
            "arn:*:*:*:*:*");
    List<String> arns =
        List.of(
            "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/a:b/c",
            "arn:aws:s3:::bucket",
            "no colons",
            "",
            "a:b:c:d:e:f:g");
    for (String p : patterns) {
      ArnPattern pattern = ArnPattern.compile(p, true);
      for (String arn : arns) {
        boolean expected = pattern.matches(arn, USER);
        assertEquals(expected, pattern.matches(ArnPattern.target(arn), USER), p + " ~ " + arn);
      }
    }
  }

  @Test
  void textWithoutVariablesReportsNone() {
    PatternText plain = PatternText.compile("role/web", true, true, false);
    assertEquals(List.of(), plain.unresolvedVariables(k -> null));
    PatternText twice = PatternText.compile("${a}/${b, 'x'}/${c}", true, true, false);
    assertEquals(List.of("a", "c"), twice.unresolvedVariables(k -> null));
    assertEquals("1/x/3", twice.resolve(Map.of("a", "1", "c", "3")::get).literalText());
  }
}
