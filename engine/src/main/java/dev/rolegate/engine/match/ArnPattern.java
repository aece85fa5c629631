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

  /**
   * The order in which {@link #matches} tries the parts after the service: the literal ones first
   * (the resource, the account), which reject most ARNs at once, then the wildcards, then the parts
   * with variables, which must be substituted first. All parts must match, so the order changes no
   * answer.
   */
  private final int[] order;

  /**
   * The service part when it is literal, as most are; null otherwise. It is compared first and
   * straight from here: it rejects most ARNs, and a store that holds a million statements rarely
   * has their compiled parts in the CPU's cache, so each step through them costs a trip to memory.
   * Interned, so the few services' texts are shared and stay cached.
   */
  private final String service;

  private static final int SERVICE = 2;

  /**
   * Whether each part is its text with {@code *} and {@code ?} as wildcards ({@link
   * PatternText#isPlain}): no variable and no escape. Such a pattern can be matched from its text
   * alone (see {@link ResourceMatcher}).
   */
  private final boolean plain;

  /** The parts in the order tried: most selective first; "arn" and the partition rarely differ. */
  private static final int[] PRIORITY = {SERVICE, 5, 4, 3, 1, 0};

  private ArnPattern(String source, boolean everything, PatternText[] parts, boolean plain) {
    this.source = source;
    this.plain = plain;
    this.everything = everything;
    this.parts = parts;
    String literalService =
        parts == null || parts.length <= SERVICE
            ? null
            : parts[SERVICE].resolve(null).literalText();
    this.service =
        literalService == null || parts[SERVICE].hasVariables() ? null : literalService.intern();
    this.order = parts == null ? null : order(parts, service != null);
  }

  /** Compiles a pattern; variables are honoured in the resource part only. */
  public static ArnPattern compile(String text, boolean variables) {
    if (text.equals("*")) {
      return new ArnPattern(text, true, null, true);
    }
    Target cut = target(text);
    PatternText[] parts = new PatternText[cut.count + 1];
    boolean plain = true;
    int from = 0;
    for (int k = 0; k < parts.length; k++) {
      int to = cut.end(k);
      boolean resourcePart = k == PARTS - 1;
      parts[k] =
          PatternText.compile(text.substring(from, to), true, variables && resourcePart, false);
      plain &= parts[k].isPlain();
      from = to + 1;
    }
    return new ArnPattern(text, false, parts, plain);
  }

  private static int[] order(PatternText[] parts, boolean serviceFirst) {
    int[] order = new int[parts.length - (serviceFirst ? 1 : 0)];
    int n = 0;
    for (int pass = 0; pass < 3; pass++) {
      for (int k : PRIORITY) {
        if (k >= parts.length || (serviceFirst && k == SERVICE)) {
          continue;
        }
        PatternText p = parts[k];
        int kind = p.hasVariables() ? 2 : p.resolve(null).literalText() != null ? 0 : 1;
        if (kind == pass) {
          order[n++] = k;
        }
      }
    }
    return order;
  }

  public String source() {
    return source;
  }

  public boolean matchesEverything() {
    return everything;
  }

  /** See {@link #plain}. */
  boolean isPlain() {
    return plain;
  }

  /** Whether the pattern has variables (in its resource part, the only one they are read in). */
  boolean hasVariables() {
    return parts != null && parts.length >= PARTS && parts[PARTS - 1].hasVariables();
  }

  /** The keys of variables in this pattern that the source cannot resolve. */
  public java.util.List<String> unresolvedVariables(VariableSource variables) {
    return hasVariables() ? parts[PARTS - 1].unresolvedVariables(variables) : java.util.List.of();
  }

  /**
   * An ARN to match against many patterns, cut at its first (up to) five colons once rather than
   * once per pattern.
   */
  public static final class Target {
    private final String arn;
    private final int[] cuts = new int[PARTS - 1];
    private final int count;

    private Target(String arn) {
      this.arn = arn;
      int n = 0;
      int from = 0;
      while (n < PARTS - 1) {
        int c = arn.indexOf(':', from);
        if (c < 0) {
          break;
        }
        cuts[n++] = c;
        from = c + 1;
      }
      this.count = n;
    }

    public String arn() {
      return arn;
    }

    /** The number of parts: one more than the colons cut, at most six. */
    int parts() {
      return count + 1;
    }

    /** Whether the ARN's service part is this text. */
    boolean hasService(String literal) {
      if (count + 1 <= SERVICE) {
        return false;
      }
      int from = start(SERVICE);
      return end(SERVICE) - from == literal.length()
          && arn.regionMatches(from, literal, 0, literal.length());
    }

    /** Where part k starts. */
    int start(int k) {
      return k == 0 ? 0 : cuts[k - 1] + 1;
    }

    /** Where part k ends (exclusive). */
    int end(int k) {
      return k < count ? cuts[k] : arn.length();
    }
  }

  /** Cuts an ARN for {@link #matches(Target, VariableSource)}. */
  public static Target target(String arn) {
    return new Target(arn);
  }

  /**
   * Matches part by part. A pattern with fewer than six parts matches only values with as many
   * parts: a wildcard never absorbs a colon outside the resource part.
   */
  public boolean matches(String arn, VariableSource variables) {
    return everything || matches(target(arn), variables);
  }

  /** As {@link #matches(String, VariableSource)}, for an ARN already cut. */
  public boolean matches(Target arn, VariableSource variables) {
    if (everything) {
      return true;
    }
    if (arn.count + 1 != parts.length) {
      return false;
    }
    if (service != null && !arn.hasService(service)) {
      return false;
    }
    for (int k : order) {
      Glob g = parts[k].resolve(variables);
      if (g == null || !g.matches(arn.arn, arn.start(k), arn.end(k))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return source;
  }
}
