package dev.rolegate.engine.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resource matcher matches most patterns from their packed text instead of through {@link
 * ArnPattern}: it must give the same answer as the patterns themselves, for every pattern and ARN.
 */
class ResourceMatcherTest {
  private static final VariableSource VARIABLES =
      Map.of("aws:username", "a*b", "aws:principaltag/team", "web")::get;

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "arn:aws:iam::111122223333:role/*, arn:aws:iam::111122223333:role/app/web, true",
    "arn:aws:iam::111122223333:role/Web*, arn:aws:iam::111122223333:role/app/WebRole, false",
    "arn:aws:iam::*:role/x, arn:aws:iam::444455556666:role/x, true",
    "arn:aws:ec2:*:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, true",
    // A * closing a part may reach past colons; one inside a part may not.
    "arn:aws:ec2:*:instance/*, arn:aws:ec2:us-east-1:111122223333:instance/i-1, true",
    "arn:aws:logs:*, arn:aws:logs:us-east-1:111122223333:log-group:x:log-stream:y, true",
    "arn:aws:logs:*, arn:aws:s3:::bucket/x, false",
    "arn:aws:lambda:*:function:f:1, arn:aws:lambda:us-east-1:111122223333:function:f:1, true",
    "arn:aws:lambda:*:*:f:1, arn:aws:lambda:us-east-1:111122223333:function:f:1, true",
    "arn:aws:lambda:us-*-1:function:f:1, arn:aws:lambda:us-east-1:111122223333:function:f:1, false",
    "arn:aws:lambda:us-east-1:*, arn:aws:lambda:us-east-1:111122223333:function:f, true",
    "arn:aws:lambda:us-east-1:1?1, arn:aws:lambda:us-east-1:111:function:f, false",
    "arn:aws:s3:::bucket/a:b/*, arn:aws:s3:::bucket/a:b/c, true",
    "arn:aws:iam::1:role/${aws:username}, arn:aws:iam::1:role/a*b, true",
    // Variables in the region and account parts; the colon inside one cuts nothing.
    "arn:aws:iam::${aws:PrincipalTag/team}:role/x, arn:aws:iam::web:role/x, true",
    "arn:aws:iam::${aws:PrincipalTag/team}:role/x, arn:aws:iam::db:role/x, false",
    "arn:aws:ec2:${aws:PrincipalTag/team}:1:instance/*, arn:aws:ec2:web:1:instance/i-1, true",
    "arn:aws:ec2:${aws:userid}:1:instance/*, arn:aws:ec2:web:1:instance/i-1, false",
    "arn:aws:iam::1:role/${aws:username}, arn:aws:iam::1:role/aXb, false",
    "arn:aws:iam::1:role/a${*}b, arn:aws:iam::1:role/a*b, true",
    "arn:aws:iam::1:role/a${*}b, arn:aws:iam::1:role/aXb, false",
    "arn:aws:iam::1:role/a?c, arn:aws:iam::1:role/abc, true",
    "arn:aws:i?m::1:role/a, arn:aws:iam::1:role/a, true",
    "*, anything at all, true",
    "'', '', true",
    "arn, arn, true",
    "arn:aws:iam::1:role/web, *, false"
  })
  void matchesAsItsPattern(String pattern, String arn, boolean expected) {
    ResourceMatcher m = new ResourceMatcher(List.of(ArnPattern.resource(pattern, true)), false);
    assertEquals(expected, m.matches(ArnPattern.target(arn), VARIABLES));
    ResourceMatcher not = new ResourceMatcher(List.of(ArnPattern.resource(pattern, true)), true);
    assertEquals(!expected, not.matches(ArnPattern.target(arn), VARIABLES));
    assertEquals(expected, ResourceMatcher.matches(m.form(), ArnPattern.target(arn), VARIABLES));
    assertEquals(!expected, ResourceMatcher.matches(not.form(), ArnPattern.target(arn), VARIABLES));
  }

  /**
   * Random patterns and ARNs over a small alphabet that is dense in colons, wildcards, escapes and
   * variables, in lists of one to four patterns, with and without variables, as Resource and as
   * NotResource: the matcher's answer is the patterns' answer every time, and so are the variables
   * it reports as unresolved.
   */
  @Test
  void agreesWithItsPatternsOnRandomText() {
    Random random = new Random(20261202);
    String[] pieces = {
      "arn",
      "aws",
      "iam",
      "ec2",
      ":",
      ":",
      ":",
      "*",
      "?",
      "/",
      "a",
      "b",
      "ab",
      "${*}",
      "${?}",
      "${aws:username}",
      "${aws:PrincipalTag/team}",
      "${aws:userid}",
      "${x, 'a'}",
      "${",
      "}",
      "1",
      "é",
      "€"
    };
    int positives = 0;
    int unresolvedCases = 0;
    int packedForms = 0;
    for (int i = 0; i < 200_000; i++) {
      boolean variables = random.nextBoolean();
      boolean excluded = random.nextInt(4) == 0;
      String arn = random.nextInt(3) == 0 ? concrete(random) : text(random, pieces);
      List<ArnPattern> patterns = new ArrayList<>();
      int n = 1 + random.nextInt(4);
      for (int k = 0; k < n; k++) {
        String text =
            switch (random.nextInt(5)) {
              case 0, 1 -> wildcarded(random, arn);
              // A well-formed ARN ending in a variable: the only part variables are read in.
              case 2 -> concrete(random) + pieces[13 + random.nextInt(5)];
              // Around the longest pattern packed (255 characters).
              case 3 -> random.nextInt(8) == 0 ? arn + "a".repeat(240 + random.nextInt(30)) : arn;
              default -> text(random, pieces);
            };
        // Resource patterns, whose closing * may reach past colons, and condition patterns.
        patterns.add(
            random.nextInt(4) == 0
                ? ArnPattern.compile(text, variables)
                : ArnPattern.resource(text, variables));
      }
      boolean any = false;
      for (ArnPattern p : patterns) {
        any |= p.matches(arn, VARIABLES);
      }
      boolean expected = any != excluded;
      positives += any ? 1 : 0;
      ResourceMatcher m = new ResourceMatcher(patterns, excluded);
      assertEquals(
          expected,
          m.matches(ArnPattern.target(arn), VARIABLES),
          () -> patterns + (excluded ? " (NotResource)" : "") + " ~ " + arn);
      Object form = m.form();
      packedForms += form instanceof byte[] ? 1 : 0;
      assertEquals(
          expected,
          ResourceMatcher.matches(form, ArnPattern.target(arn), VARIABLES),
          () -> patterns + (excluded ? " (NotResource)" : "") + " ~ " + arn + " (its form)");
      List<String> unresolved = new ArrayList<>();
      for (ArnPattern p : patterns) {
        p.unresolvedVariables(VARIABLES).stream()
            .filter(k -> !unresolved.contains(k))
            .forEach(unresolved::add);
      }
      List<String> collected = new ArrayList<>();
      m.collectUnresolvedVariables(VARIABLES, collected);
      assertEquals(unresolved, collected, () -> patterns + ": unresolved variables");
      List<String> collectedByForm = new ArrayList<>();
      ResourceMatcher.collectUnresolvedVariables(form, VARIABLES, collectedByForm);
      assertEquals(unresolved, collectedByForm, () -> patterns + ": unresolved variables (form)");
      unresolvedCases += unresolved.isEmpty() ? 0 : 1;
    }
    // The corpus must exercise matches as well as misses, or the comparison says little.
    if (positives < 20_000) {
      throw new AssertionError("only " + positives + " matching cases");
    }
    if (packedForms < 20_000) {
      throw new AssertionError("only " + packedForms + " matchers in their packed form");
    }
    if (unresolvedCases < 5_000) {
      throw new AssertionError("only " + unresolvedCases + " cases with unresolved variables");
    }
  }

  /** Text made of random pieces. */
  private static String text(Random random, String[] pieces) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  /** The ARN with a few characters replaced by wildcards or cut out. */
  private static String wildcarded(Random random, String arn) {
    StringBuilder b = new StringBuilder(arn);
    int n = random.nextInt(3);
    for (int i = 0; i < n && b.length() > 0; i++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(3)) {
        case 0 -> b.setCharAt(at, '*');
        case 1 -> b.setCharAt(at, '?');
        default -> b.deleteCharAt(at);
      }
    }
    return b.toString();
  }

  /** A well-formed ARN close to the random patterns' vocabulary. */
  private static String concrete(Random random) {
    String[] services = {"iam", "ec2", "i?m", "a*b"};
    String[] resources = {"role/a", "role/ab", "a*b", "ab/b:a", "", "a", "b/1"};
    return "arn:aws:"
        + services[random.nextInt(services.length)]
        + ":"
        + (random.nextBoolean() ? "" : "a")
        + ":"
        + (random.nextBoolean() ? "1" : "")
        + ":"
        + resources[random.nextInt(resources.length)];
  }
}
