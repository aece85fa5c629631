package dev.rolegate.engine.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchingTest {
  private static final VariableSource NONE = k -> null;

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "*, '', true",
    "a*c, abc, true",
    "a*c, ac, true",
    "a*c, abd, false",
    "a?c, abc, true",
    "a?c, ac, false",
    "*a*a*, banana, true",
    "*x, banana, false",
    "ab, ab, true",
    "ab, abc, false",
    "a**b, ab, true"
  })
  void globs(String pattern, String text, boolean expected) {
    assertEquals(
        expected, PatternText.compile(pattern, true, false, false).resolve(NONE).matches(text));
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "arn:aws:iam::111122223333:role/*, arn:aws:iam::111122223333:role/app/web, true",
    "arn:aws:iam::111122223333:role/Web*, arn:aws:iam::111122223333:role/app/WebRole, false",
    "arn:aws:iam::*:role/x, arn:aws:iam::444455556666:role/x, true",
    "arn:aws:ec2:*:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, true",
    "arn:aws:ec2:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, false",
    "arn:aws:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, false",
    "arn:aws:s3:::bucket/a:b/*, arn:aws:s3:::bucket/a:b/c, true",
    "arn:aws:iam::111122223333:role/web, arn:aws:iam::111122223333:role/Web, false",
    "*, anything at all, true",
    "arn:aws:iam::111122223333:role/web, *, false"
  })
  void arns(String pattern, String arn, boolean expected) {
    assertEquals(expected, ArnPattern.compile(pattern, true).matches(arn, NONE));
  }

  @Test
  void variablesAreSubstitutedLiterallyWithDefaultsAndEscapes() {
    Map<String, String> values = Map.of("aws:username", "a*b", "aws:principaltag/team", "xyz");
    VariableSource source = values::get;
    PatternText user = PatternText.compile("role/${aws:username}", true, true, false);
    assertEquals(true, user.resolve(source).matches("role/a*b"));
    assertEquals(false, user.resolve(source).matches("role/aXb"));
    PatternText team = PatternText.compile("${AWS:PrincipalTag/Team}-*", true, true, false);
    assertEquals(true, team.resolve(source).matches("xyz-web"));
    PatternText fallback =
        PatternText.compile("${aws:PrincipalTag/dept, 'shared'}", true, true, false);
    assertEquals("shared", fallback.resolve(source).literalText());
    // A tag key may hold spaces; the key's ends are trimmed, as around the default.
    VariableSource costCenter = Map.of("aws:principaltag/cost center", "cc-1")::get;
    PatternText spaced =
        PatternText.compile("${ aws:PrincipalTag/Cost Center , 'none' }/*", true, true, false);
    assertEquals(true, spaced.resolve(costCenter).matches("cc-1/report"));
    assertEquals(true, spaced.resolve(source).matches("none/report"));
    PatternText escapes = PatternText.compile("a${*}b${?}c${$}", true, true, false);
    assertEquals("a*b?c$", escapes.resolve(source).literalText());
    PatternText missing = PatternText.compile("role/${aws:userid}", true, true, false);
    assertNull(missing.resolve(source));
    assertEquals(List.of("aws:userid"), missing.unresolvedVariables(source));
  }

  @Test
  void withoutVariablesTheDollarTextIsLiteral() {
    PatternText literal = PatternText.compile("role/${aws:username}", true, false, false);
    assertEquals("role/${aws:username}", literal.resolve(NONE).literalText());
  }

  @Test
  void actionsMatchIgnoringCase() {
    Glob g = PatternText.compile("EC2:*IamInstanceProfile", true, false, true).resolve(NONE);
    assertEquals(true, g.matches("ec2:associateiaminstanceprofile"));
    assertEquals(false, g.matches("ec2:replaceiaminstanceprofileassociation"));
  }

  /**
   * Resource patterns against a reference written as a regular expression from IAM's Resource page:
   * the first five colons cut the pattern into parts; in the first five a {@code *} closing its
   * part covers any text, colons included, any other {@code *} or {@code ?} stays within the part;
   * in the sixth (resource) part they cover any text. Random patterns and ARNs dense in colons and
   * wildcards, short patterns among them; condition patterns never reach past a colon.
   */
  @Test
  void resourcePatternsMatchAsIamsResourcePageSays() {
    Random random = new Random(20261203);
    String[] pieces = {":", ":", ":", "*", "*", "?", "a", "b", "ab", "/", "1"};
    int matches = 0;
    int reachingPastColons = 0;
    for (int i = 0; i < 200_000; i++) {
      String pattern = "arn:aws:s" + text(random, pieces, 8);
      String arn =
          "arn:aws:s"
              + (random.nextBoolean()
                  ? text(random, pieces, 10).replace("*", "a").replace("?", "b")
                  : ":a:1:" + text(random, pieces, 6).replace("*", "a").replace("?", "b"));
      boolean expected = reference(pattern).matcher(arn).matches();
      ArnPattern resource = ArnPattern.resource(pattern, false);
      assertEquals(expected, resource.matches(arn, NONE), () -> pattern + " ~ " + arn);
      boolean byPart = ArnPattern.compile(pattern, false).matches(arn, NONE);
      if (byPart) {
        assertEquals(true, expected, () -> pattern + " ~ " + arn + " part by part only");
      }
      matches += expected ? 1 : 0;
      reachingPastColons += expected && !byPart ? 1 : 0;
    }
    if (matches < 5_000 || reachingPastColons < 1_000) {
      throw new AssertionError(matches + " matches, " + reachingPastColons + " past colons");
    }
  }

  private static String text(Random random, String[] pieces, int most) {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(most + 1); n > 0; n--) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  private static Pattern reference(String pattern) {
    String[] parts = pattern.split(":", 6);
    StringBuilder regex = new StringBuilder();
    for (int k = 0; k < parts.length; k++) {
      if (k > 0) {
        regex.append(':');
      }
      String part = parts[k];
      for (int c = 0; c < part.length(); c++) {
        char ch = part.charAt(c);
        boolean resourcePart = k == 5;
        if (ch == '*') {
          regex.append(resourcePart || c == part.length() - 1 ? ".*" : "[^:]*");
        } else if (ch == '?') {
          regex.append(resourcePart ? "." : "[^:]");
        } else {
          regex.append(Pattern.quote(String.valueOf(ch)));
        }
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
