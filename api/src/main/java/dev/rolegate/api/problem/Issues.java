package dev.rolegate.api.problem;

import dev.rolegate.engine.parse.Problem;
import java.util.List;

/**
 * Collects what is wrong with one request body, each problem with its code, so that a client learns
 * of every problem at once. The first problem decides the answer's code.
 */
public final class Issues {
  private ErrorCode firstCode;
  private final ProblemList problems = new ProblemList();

  public void add(ErrorCode code, String path, String message) {
    add(code, new Problem(path, message));
  }

  public void add(ErrorCode code, Problem problem) {
    if (firstCode == null) {
      firstCode = code;
    }
    problems.add(problem);
  }

  public void addAll(ErrorCode code, List<Problem> list) {
    list.forEach(p -> add(code, p));
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Throws the collected problems as one {@link ApiProblem}, if there are any. */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw ApiProblem.invalid(firstCode, problems.list());
    }
  }
}
