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
    if (cuts == null) {
      // Fewer than six parts: not an ARN pattern, so it matches nothing but itself.
      return new ArnPattern(
          text, false, new PatternText[] {PatternText.compile(text, true, false, false)});
    }
    PatternText[] parts = new PatternText[PARTS];
    int from = 0;
    for (int k = 0; k < PARTS; k++) {
      int to = k < PARTS - 1 ? cuts[k] : text.length();
      parts[k] = PatternText.compile(text.substring(from, to), true, variables && k == 5, false);
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
        : parts[5].unresolvedVariables(variables);
  }

  public boolean matches(String arn, VariableSource variables) {
    if (everything) {
      return true;
    }
    if (parts.length == 1) {
      Glob g = parts[0].resolve(variables);
      return g != null && g.matches(arn);
    }
    int[] cuts = cuts(arn);
    if (cuts == null) {
      return false;
    }
    int from = 0;
    for (int k = 0; k < PARTS; k++) {
      int to = k < PARTS - 1 ? cuts[k] : arn.length();
      Glob g = parts[k].resolve(variables);
      if (g == null || !g.matches(arn, from, to)) {
        return false;
      }
      from = to + 1;
    }
    return true;
  }

  /** Positions of the first five colons, or null when there are fewer. */
  private static int[] cuts(String s) {
    int[] cuts = new int[PARTS - 1];
    int from = 0;
    for (int k = 0; k < PARTS - 1; k++) {
      int c = s.indexOf(':', from);
      if (c < 0) {
        return null;
      }
      cuts[k] = c;
      from = c + 1;
    }
    return cuts;
  }

  @Override
  public String toString() {
    return source;
  }
}
