package dev.rolegate.engine.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.engine.cases.CaseEntry;
import dev.rolegate.engine.cases.CaseReader;
import dev.rolegate.engine.cases.OperationCase;
import dev.rolegate.engine.operation.Finding;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.remedy.Grant;
import dev.rolegate.engine.remedy.RemedyStatement;
import dev.rolegate.engine.remedy.RequiredChange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The human side of every operation case (explanation, findings, remedy) against golden files in
 * {@code src/test/resources/golden}. After a deliberate wording change, regenerate them with {@code
 * ./mvnw -pl engine test -Dtest=GoldenExplanationTest -Drolegate.updateGolden=true} and review the
 * diff.
 */
class GoldenExplanationTest {
  private static final Path CASES = Path.of("src/test/resources/conformance/operations.json");
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @TestFactory
  Stream<DynamicTest> explanationsMatchTheGoldenFiles() throws Exception {
    boolean update = Boolean.getBoolean("rolegate.updateGolden");
    List<DynamicTest> tests = new ArrayList<>();
    for (CaseEntry entry : CaseReader.read(new ObjectMapper().readTree(CASES.toFile()))) {
      OperationCase c = ((CaseEntry.ValidOperation) entry).operationCase();
      Path golden = GOLDEN.resolve(c.id() + ".txt");
      tests.add(
          DynamicTest.dynamicTest(
              c.id(),
              () -> {
                String actual =
                    render(InstanceProfileAuthorizer.authorize(c.request(), c.policies()));
                if (update) {
                  Files.writeString(golden, actual, StandardCharsets.UTF_8);
                }
                assertTrue(Files.exists(golden), "no golden file " + golden);
                assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual);
              }));
    }
    return tests.stream();
  }

  /** A stable, readable text form of what a person is shown. */
  static String render(InstanceProfileDecision d) {
    StringBuilder out = new StringBuilder();
    out.append("decision: ").append(d.decision().wireName()).append('\n');
    out.append("explanation: ").append(d.explanation()).append('\n');
    for (Finding f : d.findings()) {
      out.append("finding ").append(f.kind().code()).append(": ").append(f.message()).append('\n');
    }
    d.remedy()
        .ifPresent(
            r -> {
              for (Grant g : r.grants()) {
                RemedyStatement s = g.statement();
                out.append("grant in ")
                    .append(g.layer().wireName())
                    .append(
                        g.layer() == dev.rolegate.engine.eval.Layer.SERVICE_CONTROL
                            ? " level " + g.level()
                            : "")
                    .append(": Allow ")
                    .append(s.action())
                    .append(" on ")
                    .append(s.resource());
                if (!s.condition().isEmpty()) {
                  out.append(" if ").append(s.condition());
                }
                out.append('\n');
              }
              for (RequiredChange c : r.requiredChanges()) {
                out.append("change ")
                    .append(Explanation.statementName(c.statement()))
                    .append(": ")
                    .append(c.reason())
                    .append('\n');
              }
            });
    return out.toString();
  }
}
