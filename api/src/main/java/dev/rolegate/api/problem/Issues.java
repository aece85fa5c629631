package dev.rolegate.api.problem;

import dev.rolegate.engine.parse.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with one request body, each problem with its code, so that a client learns
 * of every problem at once. The first problem decides the answer's code.
 */
public final class Issues {
  private static final int MAX = 100;
  private ErrorCode firstCode;
  private final List<Problem> problems = new ArrayList<>();
  private int dropped;

  public void add(ErrorCode code, String path, String message) {
    add(code, new Problem(path, message));
  }

  public void add(ErrorCode code, Problem problem) {
    if (firstCode == null) {
      firstCode = code;
    }
    if (problems.size() < MAX) {
      problems.add(problem);
    } else {
      dropped++;
    }
  }

  public void addAll(ErrorCode code, List<Problem> list) {
    list.forEach(p -> add(code, p));
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Throws the collected problems as one {@link ApiProblem}, if there are any. */
  public void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    List<Problem> all = new ArrayList<>(problems);
    if (dropped > 0) {
      all.add(new Problem("", dropped + " more problems were not listed"));
    }
    throw ApiProblem.invalid(firstCode, all);
  }
}
