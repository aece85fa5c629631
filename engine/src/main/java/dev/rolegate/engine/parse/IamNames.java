package dev.rolegate.engine.parse;

import dev.rolegate.engine.request.Arn;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** IAM's naming rules for entities, paths and policy versions (iam-reference §4). */
public final class IamNames {
  private static final Pattern VERSION_ID = Pattern.compile("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");

  /** The kinds of named IAM entity and their maximum name length. */
  public enum Kind {
    USER("user", 64),
    ROLE("role", 64),
    GROUP("group", 128),
    MANAGED_POLICY("managed policy", 128),
    INLINE_POLICY("inline policy", 128),
    INSTANCE_PROFILE("instance profile", 128);

    private final String label;
    private final int maxLength;

    Kind(String label, int maxLength) {
      this.label = label;
      this.maxLength = maxLength;
    }

    public int maxLength() {
      return maxLength;
    }
  }

  private IamNames() {}

  /** A problem when the name breaks IAM's pattern or length for its kind. */
  public static Optional<String> nameProblem(Kind kind, String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("a " + kind.label + " name must not be empty");
    }
    if (name.length() > kind.maxLength) {
      return Optional.of(
          "the "
              + kind.label
              + " name `"
              + name
              + "` is "
              + name.length()
              + " characters long: at most "
              + kind.maxLength
              + " are allowed");
    }
    if (!Arn.isName(name, 0, name.length())) {
      return Optional.of(
          "the "
              + kind.label
              + " name `"
              + name
              + "` may hold only letters, digits and `+ = , . @ _ -`");
    }
    return Optional.empty();
  }

  /** A problem when the path is not {@code /} or {@code /segments/}, 1 to 512 characters. */
  public static Optional<String> pathProblem(String path) {
    if (path == null || path.length() > 512 || !isPath(path)) {
      return Optional.of(
          "the path `"
              + path
              + "` must begin and end with `/`, hold printable ASCII and be at most 512 characters");
    }
    return Optional.empty();
  }

  /** A problem when the id is not a policy version id such as {@code v3}. */
  public static Optional<String> versionIdProblem(String versionId) {
    if (versionId == null || !VERSION_ID.matcher(versionId).matches()) {
      return Optional.of("`" + versionId + "` is not a policy version id such as `v1`");
    }
    return Optional.empty();
  }

  /** Whether the path is {@code /} or {@code /segments/}, in printable ASCII. */
  private static boolean isPath(String path) {
    return path.equals("/")
        || path.length() >= 3
            && path.charAt(0) == '/'
            && path.charAt(path.length() - 1) == '/'
            && Arn.isPathText(path, 1, path.length() - 1);
  }

  /** The key under which IAM compares names for uniqueness: case-insensitively. */
  public static String uniquenessKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
