package dev.rolegate.api.problem;

import dev.rolegate.engine.parse.Problem;
import java.util.List;

/**
 * A request the API refuses, with what was wrong: a code, a message for a person and, for input
 * errors, the problems at their JSON paths. Thrown by controllers, answered by {@link
 * ProblemHandlers} as application/problem+json.
 */
public final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final transient List<Problem> problems;

  public ApiProblem(ErrorCode code, String message) {
    this(code, message, List.of());
  }

  public ApiProblem(ErrorCode code, String message, List<Problem> problems) {
    super(message, null, false, false);
    this.code = code;
    this.problems = List.copyOf(problems);
  }

  /** An input error: the message is the first problem's, all of them are listed. */
  public static ApiProblem invalid(ErrorCode code, List<Problem> problems) {
    Problem first = problems.get(0);
    String more =
        problems.size() > 1
            ? " (and " + (problems.size() - 1) + " more problems, see `errors`)"
            : "";
    return new ApiProblem(code, first + more, problems);
  }

  public ErrorCode code() {
    return code;
  }

  public List<Problem> problems() {
    return problems;
  }
}
