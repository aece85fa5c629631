package dev.rolegate.engine.match;

import java.util.List;

/**
 * The {@code Resource} or {@code NotResource} patterns of a statement, compiled once. Statements
 * that list the same patterns share one matcher, so that a check can match it once and reuse the
 * answer for all of them.
 *
 * <p>The patterns without variables, which are nearly all, are also packed into one byte array,
 * with the places of their colons, and matched from there. A store of a million statements rarely
 * has a statement's compiled patterns in the CPU's cache, and each object a match steps through
 * (pattern, parts, globs, their codes) costs a trip to memory: the packed form is read in one or
 * two. A pattern is packed when its characters are all Latin-1 (one byte each) and it is at most
 * 255 characters long, so that its colons' places fit in a byte: real patterns are. The {@link
 * ArnPattern}s stay for the other patterns, for those with variables and for reporting the
 * variables a request cannot resolve.
 *
 * <p>When every pattern is packed, the packed array alone says all a match needs, and a check may
 * hold it instead of the matcher ({@link #form}): one trip to memory less per statement looked at.
 * The static methods take either form.
 */
public final class ResourceMatcher {
  /** A packed record's kind, its first byte. */
  private static final byte PACKED = 0;

  private static final byte EVERYTHING = 1;

  /**
   * Matched by its {@link ArnPattern}: it has variables or escapes, is too long to pack or has a
   * character beyond Latin-1.
   */
  private static final byte BY_PATTERN = 2;

  /**
   * Packed, and a {@code *} closing one of its first five parts may reach past colons ({@link
   * ArnPattern#resource}): matched part by part first, and otherwise, when the parts cannot line
   * up, from its text (see {@link ArnPattern#matchesSpanning}).
   */
  private static final byte PACKED_SPANNING = 3;

  private static final int LONGEST_PACKED = 255;

  /** Part indexes in the order tried: the service and the resource reject most ARNs at once. */
  private static final int[] ORDER = {2, 5, 4, 3, 1, 0};

  /**
   * The packed array's header: whether the list is a NotResource (1), then how many patterns, in
   * four bytes (the highest first).
   */
  private static final int EXCLUDED_AT = 0;

  private static final int COUNT_AT = 1;
  private static final int HEADER = 5;

  private final ArnPattern[] patterns;

  /**
   * The header, then one record per pattern, in order. A packed record is its kind, the number of
   * parts k, the offsets (in the text) of the first k - 1 colons and the text's length, then the
   * text, a byte each; the other kinds are their kind alone.
   */
  private final byte[] packed;

  /** Whether a pattern is matched by its {@link ArnPattern}, and whether one has variables. */
  private final boolean byPattern;

  private final boolean variables;

  public ResourceMatcher(List<ArnPattern> patterns, boolean excluded) {
    this.patterns = patterns.toArray(new ArnPattern[0]);
    int n = this.patterns.length;
    // First the size, and where each packed pattern is cut (null when it is not packed).
    ArnPattern.Target[] cuts = new ArnPattern.Target[n];
    int size = HEADER;
    boolean unpacked = false;
    boolean any = false;
    for (int i = 0; i < n; i++) {
      ArnPattern p = this.patterns[i];
      any |= p.hasVariables();
      String text = p.source();
      if (p.matchesEverything()) {
        size++;
      } else if (!p.isPlain() || text.length() > LONGEST_PACKED || !latin1(text)) {
        size++;
        unpacked = true;
      } else {
        // Cut where a matched ARN is cut: at the first five colons.
        cuts[i] = ArnPattern.target(text);
        size += 2 + cuts[i].parts() + text.length();
      }
    }
    byte[] out = new byte[size];
    out[EXCLUDED_AT] = (byte) (excluded ? 1 : 0);
    for (int k = 0; k < HEADER - COUNT_AT; k++) {
      out[COUNT_AT + k] = (byte) (n >>> (8 * (HEADER - COUNT_AT - 1 - k)));
    }
    int at = HEADER;
    for (int i = 0; i < n; i++) {
      ArnPattern p = this.patterns[i];
      if (cuts[i] == null) {
        out[at++] = p.matchesEverything() ? EVERYTHING : BY_PATTERN;
        continue;
      }
      String text = p.source();
      int parts = cuts[i].parts();
      out[at++] = p.spans() ? PACKED_SPANNING : PACKED;
      out[at++] = (byte) parts;
      for (int k = 0; k < parts - 1; k++) {
        out[at++] = (byte) cuts[i].end(k);
      }
      out[at++] = (byte) text.length();
      for (int c = 0; c < text.length(); c++) {
        out[at++] = (byte) text.charAt(c);
      }
    }
    this.packed = out;
    this.variables = any;
    this.byPattern = unpacked;
  }

  private static boolean latin1(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /** Where the record after the one at {@code at} starts. */
  private static int next(byte[] data, int at) {
    if (data[at] != PACKED && data[at] != PACKED_SPANNING) {
      return at + 1;
    }
    int text = at + 2 + data[at + 1];
    return text + (data[text - 1] & 0xFF);
  }

  /**
   * What a check needs to hold to match and report like this matcher: the packed array when it says
   * everything (no pattern is matched by its {@link ArnPattern}, so none has variables), else the
   * matcher. Either is the same object every time, so it may stand for the matcher in a memo.
   */
  public Object form() {
    return byPattern ? this : packed;
  }

  /** Whether a matcher in either {@link #form} matches the resource. */
  public static boolean matches(Object form, ArnPattern.Target resource, VariableSource variables) {
    return form instanceof byte[] data
        ? matches(data, null, resource, variables)
        : ((ResourceMatcher) form).matches(resource, variables);
  }

  /** {@link #collectUnresolvedVariables(VariableSource, List)} of a matcher in either form. */
  public static void collectUnresolvedVariables(
      Object form, VariableSource variables, List<String> out) {
    // The packed form stands only for lists without variables: there is nothing to report.
    if (form instanceof ResourceMatcher m) {
      m.collectUnresolvedVariables(variables, out);
    }
  }

  /** The resource, cut once per check. */
  public boolean matches(ArnPattern.Target resource, VariableSource variables) {
    return matches(packed, patterns, resource, variables);
  }

  /** Matches record by record; {@code patterns} is read only for records matched by pattern. */
  private static boolean matches(
      byte[] data, ArnPattern[] patterns, ArnPattern.Target resource, VariableSource variables) {
    boolean any = false;
    int count = 0;
    for (int k = COUNT_AT; k < HEADER; k++) {
      count = count << 8 | (data[k] & 0xFF);
    }
    int at = HEADER;
    for (int i = 0; i < count && !any; i++) {
      byte kind = data[at];
      if (kind == EVERYTHING) {
        any = true;
      } else if (kind == BY_PATTERN) {
        any = patterns[i].matches(resource, variables);
      } else {
        int parts = data[at + 1];
        any =
            matchesPacked(data, at + 2, parts, at + 2 + parts, resource)
                || (kind == PACKED_SPANNING
                    && ArnPattern.mayReachPastColons(parts, resource)
                    && ArnPattern.matchesSpanning(
                        resource, new PackedParts(data, at + 2, parts, at + 2 + parts)));
      }
      at = next(data, at);
    }
    return any != (data[EXCLUDED_AT] == 1);
  }

  /**
   * Whether a packed pattern matches part by part: its colon offsets start at {@code cuts}, its
   * text at {@code text}. As {@link ArnPattern#matches(ArnPattern.Target, VariableSource)}, a
   * pattern matches only ARNs with as many parts.
   */
  private static boolean matchesPacked(
      byte[] data, int cuts, int parts, int text, ArnPattern.Target arn) {
    if (arn.parts() != parts) {
      return false;
    }
    for (int k : ORDER) {
      if (k >= parts) {
        continue;
      }
      int from = partStart(data, cuts, text, k);
      int to = partEnd(data, cuts, text, k);
      if (!Glob.matches(data, from, to, arn.arn(), arn.start(k), arn.end(k))) {
        return false;
      }
    }
    return true;
  }

  /** Where part k of a packed pattern starts in {@code data}. */
  private static int partStart(byte[] data, int cuts, int text, int k) {
    return text + (k == 0 ? 0 : (data[cuts + k - 1] & 0xFF) + 1);
  }

  /** Where part k of a packed pattern ends (exclusive) in {@code data}. */
  private static int partEnd(byte[] data, int cuts, int text, int k) {
    return text + (data[cuts + k] & 0xFF);
  }

  /**
   * A packed pattern's parts: its colon offsets start at {@code cuts}, its text at {@code text}.
   */
  private record PackedParts(byte[] data, int cuts, int count, int text)
      implements ArnPattern.Parts {
    @Override
    public boolean matches(int k, String arn, int from, int to) {
      return Glob.matches(
          data, partStart(data, cuts, text, k), partEnd(data, cuts, text, k), arn, from, to);
    }

    @Override
    public boolean spans(int k) {
      int end = partEnd(data, cuts, text, k);
      // Packed patterns are plain: a '*' is a wildcard.
      return k < 5 && end > partStart(data, cuts, text, k) && data[end - 1] == '*';
    }
  }

  /** Adds the keys of the patterns' variables that the request cannot resolve, each once. */
  public void collectUnresolvedVariables(VariableSource variables, List<String> out) {
    if (!this.variables) {
      return;
    }
    for (ArnPattern p : patterns) {
      for (String key : p.unresolvedVariables(variables)) {
        if (!out.contains(key)) {
          out.add(key);
        }
      }
    }
  }
}
