package dev.rolegate.engine.match;

import java.util.List;

/**
 * The {@code Resource} or {@code NotResource} patterns of a statement, compiled once. Statements
 * that list the same patterns share one matcher, so that a check can match it once and reuse the
 * answer for all of them.
 *
 * <p>The patterns without variables, which are nearly all, are also packed into one character
 * array, with the places of their colons, and matched from there. A store of a million statements
 * rarely has a statement's compiled patterns in the CPU's cache, and each object a match steps
 * through (pattern, parts, globs, their codes) costs a trip to memory: the packed form is read in
 * one or two. The {@link ArnPattern}s stay for the patterns with variables and for reporting the
 * variables a request cannot resolve.
 */
public final class ResourceMatcher {
  /** A packed record's kind, its first character. */
  private static final char PACKED = 0;

  private static final char EVERYTHING = 1;

  /** Matched by its {@link ArnPattern}: it has variables or escapes, or is too long to pack. */
  private static final char BY_PATTERN = 2;

  /** Part indexes in the order tried: the service and the resource reject most ARNs at once. */
  private static final int[] ORDER = {2, 5, 4, 3, 1, 0};

  private final ArnPattern[] patterns;

  /**
   * One record per pattern, in order. A packed record is its kind, the number of parts k, the
   * offsets (in the text) of the first k - 1 colons and the text's length, then the text.
   */
  private final char[] packed;

  private final boolean excluded;

  public ResourceMatcher(List<ArnPattern> patterns, boolean excluded) {
    this.patterns = patterns.toArray(new ArnPattern[0]);
    this.excluded = excluded;
    StringBuilder out = new StringBuilder();
    for (ArnPattern p : this.patterns) {
      pack(p, out);
    }
    this.packed = out.toString().toCharArray();
  }

  private static void pack(ArnPattern p, StringBuilder out) {
    String text = p.source();
    if (p.matchesEverything()) {
      out.append(EVERYTHING);
      return;
    }
    // Offsets are stored as characters; policy size limits keep real patterns far below this.
    if (!p.isPlain() || text.length() > Character.MAX_VALUE) {
      out.append(BY_PATTERN);
      return;
    }
    // Cut where a matched ARN is cut: at the first five colons.
    ArnPattern.Target cut = ArnPattern.target(text);
    out.append(PACKED).append((char) cut.parts());
    for (int k = 0; k < cut.parts() - 1; k++) {
      out.append((char) cut.end(k));
    }
    out.append((char) text.length()).append(text);
  }

  /** The resource, cut once per check. */
  public boolean matches(ArnPattern.Target resource, VariableSource variables) {
    boolean any = false;
    char[] data = packed;
    int at = 0;
    for (int i = 0; i < patterns.length && !any; i++) {
      char kind = data[at];
      if (kind == EVERYTHING) {
        any = true;
        at++;
      } else if (kind == BY_PATTERN) {
        any = patterns[i].matches(resource, variables);
        at++;
      } else {
        int parts = data[at + 1];
        int text = at + 2 + parts;
        any = matchesPacked(data, at + 2, parts, text, resource);
        at = text + data[text - 1];
      }
    }
    return any != excluded;
  }

  /**
   * Whether a packed pattern matches part by part: its colon offsets start at {@code cuts}, its
   * text at {@code text}. As {@link ArnPattern#matches(ArnPattern.Target, VariableSource)}, a
   * pattern matches only ARNs with as many parts.
   */
  private static boolean matchesPacked(
      char[] data, int cuts, int parts, int text, ArnPattern.Target arn) {
    if (arn.parts() != parts) {
      return false;
    }
    for (int k : ORDER) {
      if (k >= parts) {
        continue;
      }
      int from = text + (k == 0 ? 0 : data[cuts + k - 1] + 1);
      int to = text + data[cuts + k];
      if (!Glob.matches(data, from, to, arn.arn(), arn.start(k), arn.end(k))) {
        return false;
      }
    }
    return true;
  }

  /** Adds the keys of the patterns' variables that the request cannot resolve, each once. */
  public void collectUnresolvedVariables(VariableSource variables, List<String> out) {
    for (ArnPattern p : patterns) {
      for (String key : p.unresolvedVariables(variables)) {
        if (!out.contains(key)) {
          out.add(key);
        }
      }
    }
  }
}
