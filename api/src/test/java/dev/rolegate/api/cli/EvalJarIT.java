package dev.rolegate.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.testing.CommandOutput;
import dev.rolegate.api.testing.Jar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as a user runs it: {@code java -jar api/target/rolegate.jar eval ...}. */
class EvalJarIT {
  private static final Path EXAMPLE = Path.of("../examples/attach.json");

  static CommandOutput java(String... args) throws IOException, InterruptedException {
    return Jar.run(args);
  }

  @Test
  void theExampleAnswersTheSeedQuestion() throws Exception {
    CommandOutput r = java("eval", "--check", EXAMPLE.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> lines = r.lines();
    JsonNode nothing = lines.get(2);
    assertEquals("bob-has-nothing", nothing.get("id").asText());
    assertEquals(
        "ec2:AssociateIamInstanceProfile", nothing.at("/remedy/Statement/0/Action").asText());
    assertEquals("iam:PassRole", nothing.at("/remedy/Statement/1/Action").asText());
    assertEquals(
        "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web",
        nothing.at("/remedy/Statement/1/Resource").asText());
    assertEquals(
        "ec2.amazonaws.com",
        nothing.at("/remedy/Statement/1/Condition/StringEquals/iam:PassedToService").asText());
  }

  @Test
  void badInputNeverShowsAStackTrace(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"cases\": [ {");
    CommandOutput r = java("eval", broken.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("malformed JSON at line 1"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
    CommandOutput b = java("eval", binary.toString());
    assertEquals(2, b.code());
    assertFalse(b.err().contains("\tat "), b.err());
  }
}
