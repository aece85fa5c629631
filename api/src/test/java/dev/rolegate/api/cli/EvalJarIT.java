package dev.rolegate.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.api.testing.Jar;
import dev.rolegate.api.testing.Jar.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as a user runs it: {@code java -jar api/target/rolegate.jar eval ...}. */
class EvalJarIT {
  private static final Path EXAMPLE = Path.of("../examples/attach.json");

  static Result java(String... args) throws IOException, InterruptedException {
    return Jar.run(args);
  }

  @Test
  void theExampleAnswersTheSeedQuestion() throws Exception {
    Result r = java("eval", "--check", EXAMPLE.toString());
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      lines.add(json.readTree(line));
    }
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
    Result r = java("eval", broken.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("malformed JSON at line 1"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
    Result b = java("eval", binary.toString());
    assertEquals(2, b.code());
    assertFalse(b.err().contains("\tat "), b.err());
  }
}
