package dev.rolegate.engine.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.engine.request.Arn.PathAndName;
import dev.rolegate.engine.request.Arn.RoleAndSession;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-cut ARN shapes against their definitions as regular expressions (iam-reference §4), on
 * examples and on many mutated ARNs.
 */
class ArnTest {
  static final Pattern USER = iamEntity("user");
  static final Pattern ROLE = iamEntity("role");
  static final Pattern SESSION =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/([\\w+=,.@-]+)");
  static final Pattern INSTANCE =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov):ec2:([a-z0-9-]+):(\\d{12}):instance/i-[0-9a-f]+");

  /** An IAM user or role ARN: partition, account, path (with its slashes) and name. */
  static Pattern iamEntity(String type) {
    return Pattern.compile(
        "arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):" + type + "(/(?:[!-~]*/)?)([\\w+=,.@-]+)");
  }

  static final List<String> VALID =
      List.of(
          "arn:aws:iam::111122223333:user/alice",
          "arn:aws-cn:iam::111122223333:user/platform/team-1/bob.oneil@x",
          "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web",
          "arn:aws-us-gov:iam::111122223333:role/a:b/c=d/Admin",
          "arn:aws:sts::111122223333:assumed-role/Deployer/run-1",
          "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0");

  @Test
  void examples() {
    Arn role = Arn.parse("arn:aws:iam::111122223333:role/platform/web/Admin").orElseThrow();
    assertEquals("aws", role.partition());
    assertEquals("111122223333", role.account());
    assertEquals(Optional.of(new PathAndName("/platform/web/", "Admin")), role.iamEntity("role"));
    assertEquals(Optional.empty(), role.iamEntity("user"));
    assertEquals(
        Optional.of(new PathAndName("/", "alice")),
        Arn.parse("arn:aws:iam::111122223333:user/alice").orElseThrow().iamEntity("user"));
    assertEquals(
        Optional.of(new RoleAndSession("Deployer", "run-1")),
        Arn.parse(VALID.get(4)).orElseThrow().roleSession());
    assertTrue(Arn.parse(VALID.get(5)).orElseThrow().isInstance());
    assertTrue(Arn.parse("arn:aws:iam::111122223333").isEmpty());
    assertTrue(Arn.parse("arn:gcp:iam::111122223333:user/alice").isEmpty());
    assertTrue(Arn.parse(null).isEmpty());
    assertFalse(
        Arn.parse("arn:aws:ec2:us-east-1:111122223333:instance/i-").orElseThrow().isInstance());
    assertEquals(
        Optional.empty(),
        Arn.parse("arn:aws:iam::111122223333:user/path with space/alice")
            .orElseThrow()
            .iamEntity("user"));
  }

  /** Mutations of valid ARNs (characters inserted, removed, replaced): same verdict and parts. */
  @Test
  void agreesWithTheRegularExpressionsOnMutatedArns() {
    Random random = new Random(20261201);
    String alphabet = "aZ09_+=,.@-:/ *é\t~!iusrole-/:1";
    int valid = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder s = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
      int edits = random.nextInt(4);
      for (int e = 0; e < edits && !s.isEmpty(); e++) {
        int at = random.nextInt(s.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> s.insert(at, c);
          case 1 -> s.deleteCharAt(at);
          default -> s.setCharAt(at, c);
        }
      }
      String text = s.toString();
      Optional<Arn> arn = Arn.parse(text);
      valid += check(text, USER, arn.flatMap(a -> a.iamEntity("user")), arn);
      valid += check(text, ROLE, arn.flatMap(a -> a.iamEntity("role")), arn);
      Matcher session = SESSION.matcher(text);
      Optional<RoleAndSession> cut = arn.flatMap(Arn::roleSession);
      assertEquals(session.matches(), cut.isPresent(), text);
      if (cut.isPresent()) {
        assertEquals(session.group(3), cut.get().roleName(), text);
        assertEquals(session.group(4), cut.get().sessionName(), text);
        valid++;
      }
      assertEquals(INSTANCE.matcher(text).matches(), arn.map(Arn::isInstance).orElse(false), text);
    }
    // The mutations must leave enough ARNs valid for the comparison to mean something.
    assertTrue(valid > 20_000, "only " + valid + " valid ARNs");
  }

  private static int check(
      String text, Pattern pattern, Optional<PathAndName> cut, Optional<Arn> arn) {
    Matcher m = pattern.matcher(text);
    assertEquals(m.matches(), cut.isPresent(), text);
    if (cut.isEmpty()) {
      return 0;
    }
    assertEquals(m.group(1), arn.orElseThrow().partition(), text);
    assertEquals(m.group(2), arn.orElseThrow().account(), text);
    assertEquals(m.group(3), cut.get().path(), text);
    assertEquals(m.group(4), cut.get().name(), text);
    return 1;
  }
}
