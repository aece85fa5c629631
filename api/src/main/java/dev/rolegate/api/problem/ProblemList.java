package dev.rolegate.api.problem;

import dev.rolegate.engine.parse.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found so far in one input, so that a client learns of all of them at once. Only the
 * first {@link #LIMIT} are kept: a badly broken input would otherwise get an answer larger than
 * itself.
 */
public final class ProblemList {
  public static final int LIMIT = 100;

  private final List<Problem> kept = new ArrayList<>();
  private int dropped;

  public void add(String path, String message) {
    add(new Problem(path, message));
  }

  public void add(Problem problem) {
    if (kept.size() < LIMIT) {
      kept.add(problem);
    } else {
      dropped++;
    }
  }

  public boolean isEmpty() {
    return kept.isEmpty();
  }

  /** The kept problems, followed by one that counts the rest when some were dropped. */
  public List<Problem> list() {
    List<Problem> all = new ArrayList<>(kept);
    if (dropped > 0) {
      all.add(
          new Problem(
              "", dropped + " more problems were found: only the first " + LIMIT + " are listed"));
    }
    return all;
  }
}
