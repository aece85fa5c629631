package dev.rolegate.engine.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.engine.eval.Authorizer;
import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the conformance corpus: every case file under {@code src/test/resources/conformance}, in the
 * case format of FORMAT.md, each case with a hand-derived {@code expected} decision (or an {@code
 * expectedError} for invalid input).
 */
class ConformanceTest {
  static final Path CORPUS = Path.of("src/test/resources/conformance");
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> caseFiles() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicNode> everyCaseDecidesAsExpected() throws IOException {
    List<DynamicNode> files = new ArrayList<>();
    for (Path file : caseFiles()) {
      JsonNode root = JSON.readTree(file.toFile());
      List<CaseEntry> entries;
      try {
        entries = CaseReader.read(root);
      } catch (CaseReader.NotACaseFile e) {
        throw new AssertionError(file + ": " + e.getMessage(), e);
      }
      List<DynamicTest> tests = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        CaseEntry entry = entries.get(i);
        JsonNode raw = root.get("cases").get(i);
        tests.add(DynamicTest.dynamicTest(entry.id(), () -> check(entry, raw)));
      }
      files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), tests));
    }
    return files.stream();
  }

  private static void check(CaseEntry entry, JsonNode raw) {
    String note = raw.path("note").asText("");
    switch (entry) {
      case CaseEntry.Valid v -> {
        EvaluationCase c = v.evaluationCase();
        assertTrue(c.expected().isPresent(), "a corpus case needs `expected`");
        CheckResult result = Authorizer.authorize(c.request(), c.policies());
        assertEquals(c.expected().get(), result.decision(), note);
      }
      case CaseEntry.ValidOperation v -> {
        OperationCase c = v.operationCase();
        assertTrue(c.expected().isPresent(), "a corpus case needs `expected`");
        InstanceProfileDecision d = InstanceProfileAuthorizer.authorize(c.request(), c.policies());
        assertEquals(c.expected().get(), d.decision(), note);
        JsonNode findings = raw.path("expectedFindings");
        if (findings.isArray()) {
          List<String> expected = new ArrayList<>();
          findings.forEach(f -> expected.add(f.asText()));
          assertEquals(
              expected, d.findings().stream().map(f -> f.kind().code()).toList(), "findings");
        }
      }
      case CaseEntry.Invalid inv -> {
        JsonNode expectedError = raw.path("expectedError");
        if (!expectedError.isObject()) {
          fail("the case is invalid: " + inv.error());
        }
        assertEquals(
            expectedError.path("code").asText(), inv.error().code(), inv.error().message());
        if (expectedError.has("path")) {
          assertEquals(
              expectedError.get("path").asText(), inv.error().path(), inv.error().message());
        }
        if (expectedError.has("messageContains")) {
          assertTrue(
              inv.error().message().contains(expectedError.get("messageContains").asText()),
              inv.error().message());
        }
      }
    }
  }

  @Test
  void caseIdsAreUniqueAcrossTheCorpus() throws IOException {
    Set<String> ids = new HashSet<>();
    int count = 0;
    for (Path file : caseFiles()) {
      for (JsonNode c : JSON.readTree(file.toFile()).get("cases")) {
        count++;
        assertTrue(ids.add(c.path("id").asText()), "duplicate id " + c.path("id") + " in " + file);
        assertTrue(c.path("note").isTextual(), "case " + c.path("id") + " needs a note");
      }
    }
    assertTrue(count >= 150, "the corpus must hold at least 150 cases, has " + count);
  }
}
