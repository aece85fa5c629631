package dev.rolegate.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.api.Rolegate;
import dev.rolegate.api.testing.CommandOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvalCommandTest {
  private static final Path MIXED = Path.of("src/test/resources/cases/mixed.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tempDir;

  static CommandOutput run(String... args) {
    return CommandOutput.capture((out, err) -> Rolegate.run(args, out, err));
  }

  @Test
  void printsOneLinePerCaseInInputOrder() throws Exception {
    CommandOutput r = run("eval", MIXED.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> lines = r.lines();
    assertEquals(
        List.of("passrole-allowed", "wrong-expectation", "bad-effect", "attach-admin"),
        lines.stream().map(l -> l.get("id").asText()).toList());
    JsonNode first = lines.get(0);
    assertEquals("allowed", first.get("decision").asText());
    assertEquals("PassXYZ", first.at("/matched/0/policy").asText());
    assertEquals(0, first.at("/matched/0/statementIndex").asInt());
    assertEquals("PassXYZRoles", first.at("/matched/0/sid").asText());
    JsonNode bad = lines.get(2);
    assertTrue(bad.get("decision").isNull());
    assertEquals("policy_invalid", bad.at("/error/code").asText());
    assertEquals("identityPolicies[0].Statement[0].Effect", bad.at("/error/path").asText());
    JsonNode op = lines.get(3);
    assertEquals("implicitDeny", op.get("decision").asText());
    assertEquals("iam:PassRole", op.at("/remedy/Statement/1/Action").asText());
  }

  @Test
  void checkReportsEveryMismatchAndExitsOne() {
    CommandOutput r = run("eval", MIXED.toString(), "--check");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("wrong-expectation: expected allowed, got implicitDeny"), r.err());
    assertTrue(r.err().contains("1 of 4 cases differ"), r.err());
  }

  @Test
  void checkPassesWhenEveryCaseIsAsExpected(@TempDir Path dir) throws Exception {
    JsonNode root = JSON.readTree(MIXED.toFile());
    ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("cases")).remove(1);
    Path file = dir.resolve("ok.json");
    Files.writeString(file, root.toString());
    CommandOutput r = run("eval", "--check", file.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("all 3 cases as expected"), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          malformed JSON         | {"cases": [ {"id": "x",      | malformed JSON at line 1
          not a case file        | {"tests": []}                | a case file is a JSON object with a `cases` array
          cases not an array     | {"cases": {}}                | `cases` must be an array
          duplicated key         | {"cases": [], "cases": []}   | Duplicate field 'cases'
          empty file             | ''                           | the file is empty
          """)
  void unusableFilesGetAClearMessageAndExitTwo(String name, String content, String message)
      throws Exception {
    Path file = tempDir.resolve(name.replace(' ', '-') + ".json");
    Files.writeString(file, content);
    CommandOutput r = run("eval", file.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(file.toString()), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  /** A file that is not UTF-8 (a case file saved as Latin-1) is named with where it breaks. */
  @Test
  void aFileThatIsNotUtf8IsRefusedWhereItBreaks() throws Exception {
    Path file = tempDir.resolve("latin1.json");
    Files.write(
        file, "{\"cases\": [\n  {\"id\": \"caf\u00e9\"}]}".getBytes(StandardCharsets.ISO_8859_1));
    CommandOutput r = run("eval", file.toString());
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains(file + ": not valid UTF-8 at line 2, column 14 (byte offset 25: 0xe9)"),
        r.err());
  }

  @Test
  void commandLineMistakesExitTwo() {
    assertEquals(2, run("eval").code());
    assertEquals(2, run("eval", "a.json", "b.json").code());
    assertEquals(2, run("eval", "--verbose", "a.json").code());
    CommandOutput missing = run("eval", "does-not-exist.json");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no such file"), missing.err());
    assertEquals(2, run("frobnicate").code());
    assertEquals(2, run().code());
    assertEquals(0, run("--help").code());
  }

  @Test
  void aDirectoryIsNotACaseFile(@TempDir Path dir) {
    CommandOutput r = run("eval", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("cannot read"), r.err());
  }
}
