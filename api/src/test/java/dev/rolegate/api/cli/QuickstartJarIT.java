package dev.rolegate.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.api.testing.Jar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart, run as written against the packaged jar started with {@code --demo}:
 * each command answers 200 and says what the README's comments say it does. Fails when the README
 * and the service part apart.
 */
class QuickstartJarIT {
  private static final Path README = Path.of("../README.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theQuickstartAnswersAsTheReadmeSays() throws Exception {
    String readme = Files.readString(README);
    int section = readme.indexOf("## Quickstart");
    Matcher block =
        Pattern.compile("```sh\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(readme)
            .region(section, readme.length());
    assertTrue(section >= 0 && block.find(), "the README's quickstart");
    int port = ServeJarIT.freePort();
    String script =
        block
            .group(1)
            .replace("http://localhost:8181", "http://localhost:" + port)
            // Each answer on a line of its own, followed by its status.
            .replace("curl -s ", "curl -s -w '\\n%{http_code}\\n' ")
            // The one placeholder: the newest logged decision's id.
            .replace(
                "DECISION_ID_FROM_AN_ANSWER",
                "$(curl -s -H \"$T\" \"$R/decisions?limit=1\""
                    + " | sed -E 's/.*\"decisionId\":\"([^\"]+)\".*/\\1/')");

    Map<String, String> env = ServeJarIT.on(ServeJarIT.database());
    env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
    env.put("ROLEGATE_BOOTSTRAP_TOKEN", "demo-token");
    // Answers wait for their audit record, so that the history the script reads next holds them.
    env.put("ROLEGATE_AUDIT_ANSWER_AFTER_STORE", "true");
    List<JsonNode> answers = new ArrayList<>();
    try (Jar.Running node = Jar.start(env, "--demo")) {
      String started = node.awaitOutput("Startup completed");
      assertTrue(started.contains("Startup completed"), started);
      Process shell = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
      String out = new String(shell.getInputStream().readAllBytes());
      assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the quickstart did not finish");
      String[] lines = out.split("\n");
      for (int i = 0; i + 1 < lines.length; i += 2) {
        assertEquals("200", lines[i + 1], () -> "quickstart command answered " + out);
        answers.add(JSON.readTree(lines[i]));
      }
    }
    assertEquals(7, answers.size(), answers::toString);

    // an allowed attach
    assertTrue(answers.get(0).path("allowed").asBoolean(), answers.get(0)::toString);
    // a denied attach: the missing grant and its remedy, and the role's findings
    JsonNode denied = answers.get(1);
    assertEquals("implicitDeny", denied.path("decision").asText(), denied::toString);
    assertTrue(denied.path("remedy").toString().contains("iam:PassedToService"), denied::toString);
    assertTrue(denied.path("remedy").toString().contains("role/Admin"), denied::toString);
    List<String> findings = new ArrayList<>();
    denied.path("findings").forEach(f -> findings.add(f.path("code").asText()));
    assertTrue(
        findings.containsAll(List.of("role_not_trusted_by_ec2", "role_in_no_instance_profile")),
        denied::toString);
    // a detach
    assertTrue(answers.get(2).path("allowed").asBoolean(), answers.get(2)::toString);
    // a batch: one answer per request, in order
    assertEquals(2, answers.get(3).path("answers").size(), answers.get(3)::toString);
    for (JsonNode answer : answers.get(3).path("answers")) {
      assertTrue(answer.path("allowed").asBoolean(), answer::toString);
    }
    // the history of alice's denied decisions, then one decision in full
    JsonNode history = answers.get(4);
    assertTrue(history.toString().contains(denied.path("decisionId").asText()), history::toString);
    assertTrue(answers.get(5).path("request").isObject(), answers.get(5)::toString);
    // the same question as an OPA client asks it, with the whole reasoning
    assertTrue(answers.get(6).path("result").asBoolean(), answers.get(6)::toString);
    assertTrue(answers.get(6).path("explanation").isObject(), answers.get(6)::toString);
  }
}
