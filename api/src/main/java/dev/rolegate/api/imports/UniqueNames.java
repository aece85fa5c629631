package dev.rolegate.api.imports;

import dev.rolegate.api.problem.ProblemList;
import dev.rolegate.engine.parse.IamNames;
import java.util.HashMap;
import java.util.Map;

/** Names seen so far in one scope, and where; a repeated name is reported where it repeats. */
final class UniqueNames {
  private record Seen(String name, String path) {}

  private final String what;
  private final boolean ignoreCase;
  private final Map<String, Seen> seen = new HashMap<>();

  /**
   * {@code what} names the thing in messages ("user name"); {@code ignoreCase} when IAM compares
   * these names case-insensitively, as it does for users, groups, roles and instance profiles.
   */
  UniqueNames(String what, boolean ignoreCase) {
    this.what = what;
    this.ignoreCase = ignoreCase;
  }

  void claim(String name, String path, ProblemList problems) {
    String key = ignoreCase ? IamNames.uniquenessKey(name) : name;
    Seen earlier = seen.putIfAbsent(key, new Seen(name, path));
    if (earlier == null) {
      return;
    }
    problems.add(
        path,
        earlier.name().equals(name)
            ? "the " + what + " `" + name + "` is already listed at `" + earlier.path() + "`"
            : "the "
                + what
                + " `"
                + name
                + "` clashes with `"
                + earlier.name()
                + "` at `"
                + earlier.path()
                + "`: IAM compares these names case-insensitively");
  }
}
