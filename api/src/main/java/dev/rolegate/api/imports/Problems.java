package dev.rolegate.api.imports;

import dev.rolegate.engine.parse.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found so far. Only the first {@link #LIMIT} are kept: a badly broken input would
 * otherwise produce an answer larger than the input itself.
 */
final class Problems {
  static final int LIMIT = 100;

  private final List<Problem> kept = new ArrayList<>();
  private int dropped;

  void add(String path, String message) {
    add(new Problem(path, message));
  }

  void add(Problem problem) {
    if (kept.size() < LIMIT) {
      kept.add(problem);
    } else {
      dropped++;
    }
  }

  boolean isEmpty() {
    return kept.isEmpty();
  }

  /** The kept problems, followed by one that counts the rest when some were dropped. */
  List<Problem> list() {
    List<Problem> all = new ArrayList<>(kept);
    if (dropped > 0) {
      all.add(
          new Problem(
              "", dropped + " more problems were found: only the first " + LIMIT + " are listed"));
    }
    return all;
  }
}
