package dev.rolegate.engine.match;

/**
 * An ARN pattern from a {@code Resource} element or an {@code Arn} condition: split at the first
 * five colons into six parts, each matched on its own, so wildcards in the first five parts stay
 * within their part while the sixth (resource) part may contain {@code :} and {@code /}. {@code *}
 * alone matches every resource. Matching is case-sensitive.
 *
 * <p>One exception, for {@code Resource} elements only ({@link #resource}): "if the {@code *}
 * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon
 * boundaries" (IAM's Resource element page). So {@code arn:aws:logs:*} covers every log group and
 * stream, and {@code arn:aws:lambda:*:function:f:1} covers function f's version 1 in any region and
 * account. {@code Arn} condition operators compare the six parts one by one (the condition
 * operators page), so {@link #compile} patterns never span.
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

  /**
   * Bit k is set when part k is one of the first five and its {@code *} closes it, so that it may
   * reach past colons: only in a {@link #resource} pattern.
   */
  private final int spanning;

  private ArnPattern(
      String source, boolean everything, PatternText[] parts, boolean plain, int spanning) {
    this.source = source;
    this.spanning = spanning;
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

  /**
   * Compiles an {@code Arn} condition's pattern, matched part by part; variables are honoured in
   * the parts that {@link #takesVariables take them}.
   */
  public static ArnPattern compile(String text, boolean variables) {
    return compile(text, variables, false);
  }

  /**
   * Compiles a {@code Resource} or {@code NotResource} pattern: as {@link #compile}, but a {@code
   * *} that closes one of the first five parts may reach past colons, and a pattern may have fewer
   * than six parts.
   */
  public static ArnPattern resource(String text, boolean variables) {
    return compile(text, variables, true);
  }

  private static ArnPattern compile(String text, boolean variables, boolean resource) {
    if (text.equals("*")) {
      return new ArnPattern(text, true, null, true, 0);
    }
    Target cut = new Target(text, variables);
    PatternText[] parts = new PatternText[cut.count + 1];
    // A "${" the cut stepped over may hold a colon a plain cut would not step over: such a pattern
    // is never matched from its text alone (ResourceMatcher packs plain patterns, cut plainly).
    boolean plain = !(variables && text.contains("${"));
    int from = 0;
    for (int k = 0; k < parts.length; k++) {
      int to = cut.end(k);
      parts[k] =
          PatternText.compile(
              text.substring(from, to), true, variables && takesVariables(k), false);
      plain &= parts[k].isPlain();
      from = to + 1;
    }
    return new ArnPattern(text, false, parts, plain, resource ? spanning(text, cut) : 0);
  }

  /** {@link #spanning} of a pattern's text, cut as an ARN is. */
  static int spanning(String text, Target cut) {
    int mask = 0;
    for (int k = 0; k < Math.min(cut.count + 1, PARTS - 1); k++) {
      int end = cut.end(k);
      if (end > cut.start(k) && text.charAt(end - 1) == '*') {
        mask |= 1 << k;
      }
    }
    return mask;
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

  /** Whether a {@code *} of the pattern may reach past colons (see {@link #resource}). */
  boolean spans() {
    return spanning != 0;
  }

  /**
   * Whether part k may hold policy variables: the partition, the region, the account and the
   * resource. IAM's pages name only the resource part, but AWS's own managed policies use the
   * account too ({@code arn:*:kms:*:${aws:PrincipalAccount}:key/*}, in
   * AmazonTimestreamInfluxDBServiceRolePolicy), and an export that holds them must be read. Never
   * {@code arn} or the service, which name what kind of thing the ARN is.
   */
  public static boolean takesVariables(int k) {
    return k != 0 && k != SERVICE;
  }

  /** Whether the pattern has variables. */
  boolean hasVariables() {
    if (parts != null) {
      for (PatternText p : parts) {
        if (p.hasVariables()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The keys of variables in this pattern that the source cannot resolve, each once. */
  public java.util.List<String> unresolvedVariables(VariableSource variables) {
    if (!hasVariables()) {
      return java.util.List.of();
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (PatternText p : parts) {
      for (String key : p.unresolvedVariables(variables)) {
        if (!out.contains(key)) {
          out.add(key);
        }
      }
    }
    return out;
  }

  /**
   * Where the part that starts at {@code from} ends: at its colon, or -1 when no colon follows.
   * With variables a colon inside {@code ${…}} (as in {@code ${aws:PrincipalAccount}}) belongs to
   * the variable and cuts nothing.
   */
  public static int nextCut(String text, int from, boolean variables) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ':') {
        return i;
      }
      if (variables && c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          return text.indexOf(':', i);
        }
        i = close;
      }
    }
    return -1;
  }

  /**
   * An ARN to match against many patterns, cut at its first (up to) five colons once rather than
   * once per pattern.
   */
  public static final class Target {
    private final String arn;
    private final int[] cuts = new int[PARTS - 1];
    private final int count;

    /** Whether the resource part holds a colon, as in {@code function:f:1}. */
    private final boolean colonInResource;

    private Target(String arn) {
      this(arn, false);
    }

    /** Cut at the first (up to) five colons, not counting those inside variables if any. */
    private Target(String arn, boolean variables) {
      this.arn = arn;
      int n = 0;
      int from = 0;
      while (n < PARTS - 1) {
        int c = variables ? nextCut(arn, from, true) : arn.indexOf(':', from);
        if (c < 0) {
          break;
        }
        cuts[n++] = c;
        from = c + 1;
      }
      this.count = n;
      this.colonInResource = n == PARTS - 1 && arn.indexOf(':', cuts[n - 1] + 1) >= 0;
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
   * Matches part by part, except where a {@code *} may reach past colons ({@link #resource}). A
   * pattern with fewer than six parts matches only values with as many parts, unless a closing
   * {@code *} reaches past colons.
   */
  public boolean matches(String arn, VariableSource variables) {
    return everything || matches(target(arn), variables);
  }

  /** As {@link #matches(String, VariableSource)}, for an ARN already cut. */
  public boolean matches(Target arn, VariableSource variables) {
    if (everything) {
      return true;
    }
    if (arn.count + 1 == parts.length && matchesByPart(arn, variables)) {
      return true;
    }
    return spanning != 0
        && mayReachPastColons(parts.length, arn)
        && matchesSpanning(
            arn,
            new Parts() {
              @Override
              public int count() {
                return parts.length;
              }

              @Override
              public boolean matches(int k, String text, int from, int to) {
                Glob g = parts[k].resolve(variables);
                return g != null && g.matches(text, from, to);
              }

              @Override
              public boolean spans(int k) {
                return (spanning & (1 << k)) != 0;
              }
            });
  }

  private boolean matchesByPart(Target arn, VariableSource variables) {
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

  /**
   * Whether a pattern of this many parts, one of whose {@code *} may reach past colons, can match
   * the ARN otherwise than part by part: only when the parts do not line up one to one, the ARN's
   * resource holding colons or the pattern having fewer parts. A request's instance and role ARNs
   * do neither, so their checks never take the slower way.
   */
  static boolean mayReachPastColons(int patternParts, Target arn) {
    return arn.count + 1 != patternParts || arn.colonInResource;
  }

  /** A pattern's parts, for {@link #matchesSpanning}, from its compiled globs or packed text. */
  interface Parts {
    int count();

    /** Whether part k matches {@code [from, to)} of the text, colons and all. */
    boolean matches(int k, String text, int from, int to);

    /** Whether part k is one of the first five and closed by a {@code *}. */
    boolean spans(int k);
  }

  /**
   * Matches part after part from the ARN's start: each of the first five parts must match one
   * segment of the ARN (up to its next colon) and then ends there, or, when closed by a {@code *},
   * at any later colon, the {@code *} covering what lies between; the resource part must match all
   * that is left. What the closing {@code *} covers beyond the segment, any text, needs no check:
   * the part matched the segment, and its {@code *} may go on.
   */
  static boolean matchesSpanning(Target arn, Parts parts) {
    return spanFrom(0, 0, arn.arn, parts);
  }

  private static boolean spanFrom(int k, int at, String text, Parts parts) {
    if (k == PARTS - 1) {
      return parts.matches(k, text, at, text.length());
    }
    int colon = text.indexOf(':', at);
    int segmentEnd = colon < 0 ? text.length() : colon;
    if (!parts.matches(k, text, at, segmentEnd)) {
      return false;
    }
    boolean spans = parts.spans(k);
    if (k == parts.count() - 1) {
      // The pattern's last part, short of the resource part: the ARN must end here, or its
      // closing * covers the rest.
      return colon < 0 || spans;
    }
    for (int c = colon; c >= 0; c = spans ? text.indexOf(':', c + 1) : -1) {
      if (spanFrom(k + 1, c + 1, text, parts)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return source;
  }
}
