package dev.rolegate.engine.match;

/**
 * An ARN pattern from a {@code Resource} element or an {@code Arn} condition: split at the first
 * five colons into six parts, each matched on its own, so wildcards in the first five parts never
 * span a colon while the sixth (resource) part may contain {@code :} and {@code /}. {@code *} alone
 * matches every resource. Matching is case-sensitive.
 */
public final class ArnPattern {
  private static final int PARTS = 6;

  private final String source;
  private final boolean everything;
  private final PatternText[] parts;

  private ArnPattern(String source, boolean everything, PatternText[] parts) {
    this.source = source;
    this.everything = everything;
    this.parts = parts;
  }

  /** Compiles a pattern; variables are honoured in the resource part only. */
  public static ArnPattern compile(String text, boolean variables) {
    if (text.equals("*")) {
      return new ArnPattern(text, true, null);
    }
    int[] cuts = cuts(text);
    PatternText[] parts = new PatternText[cuts.length + 1];
    int from = 0;
    for (int k = 0; k < parts.length; k++) {
      int to = k < cuts.length ? cuts[k] : text.length();
      boolean resourcePart = k == PARTS - 1;
      parts[k] =
          PatternText.compile(text.substring(from, to), true, variables && resourcePart, false);
      from = to + 1;
    }
    return new ArnPattern(text, false, parts);
  }

  public String source() {
    return source;
  }

  public boolean matchesEverything() {
    return everything;
  }

  /** The keys of variables in this pattern that the source cannot resolve. */
  public java.util.List<String> unresolvedVariables(VariableSource variables) {
    return parts == null || parts.length < PARTS
        ? java.util.List.of()
        : parts[PARTS - 1].unresolvedVariables(variables);
  }

  /**
   * Matches part by part. A pattern with fewer than six parts matches only values with as many
   * parts: a wildcard never absorbs a colon outside the resource part.
   */
  public boolean matches(String arn, VariableSource variables) {
    if (everything) {
      return true;
    }
    int[] cuts = cuts(arn);
    if (cuts.length + 1 != parts.length) {
      return false;
    }
    int from = 0;
    for (int k = 0; k < parts.length; k++) {
      int to = k < cuts.length ? cuts[k] : arn.length();
      Glob g = parts[k].resolve(variables);
      if (g == null || !g.matches(arn, from, to)) {
        return false;
      }
      from = to + 1;
    }
    return true;
  }

  /** Positions of the first (up to) five colons. */
  private static int[] cuts(String s) {
    int[] cuts = new int[PARTS - 1];
    int n = 0;
    int from = 0;
    while (n < PARTS - 1) {
      int c = s.indexOf(':', from);
      if (c < 0) {
        break;
      }
      cuts[n++] = c;
      from = c + 1;
    }
    return n == cuts.length ? cuts : java.util.Arrays.copyOf(cuts, n);
  }

  @Override
  public String toString() {
    return source;
  }
}
