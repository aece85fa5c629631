package dev.rolegate.api.problem;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rolegate.engine.parse.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request's problems are answered together, under the first problem's code, and only the first
 * {@link ProblemList#LIMIT} of them, followed by one that counts the rest: the same cap and words
 * as an import's problems.
 */
class IssuesTest {
  @Test
  void noProblemsThrowNothing() {
    assertDoesNotThrow(() -> new Issues().throwIfAny());
  }

  @Test
  void theFirstProblemDecidesTheCode() {
    Issues issues = new Issues();
    issues.add(ErrorCode.UNKNOWN_FIELD, "/a", "unknown");
    issues.add(ErrorCode.INVALID_POLICY, "/b", "invalid");
    ApiProblem thrown = assertThrows(ApiProblem.class, issues::throwIfAny);
    assertEquals(ErrorCode.UNKNOWN_FIELD, thrown.code());
    assertEquals(
        List.of(new Problem("/a", "unknown"), new Problem("/b", "invalid")), thrown.problems());
  }

  @Test
  void problemsPastTheLimitAreCounted() {
    Issues issues = new Issues();
    for (int i = 0; i < ProblemList.LIMIT + 30; i++) {
      issues.add(ErrorCode.INVALID_REQUEST, "/items/" + i, "wrong");
    }
    ApiProblem thrown = assertThrows(ApiProblem.class, issues::throwIfAny);
    assertEquals(ProblemList.LIMIT + 1, thrown.problems().size());
    assertEquals(new Problem("/items/99", "wrong"), thrown.problems().get(ProblemList.LIMIT - 1));
    assertEquals(
        new Problem("", "30 more problems were found: only the first 100 are listed"),
        thrown.problems().getLast());
  }
}
