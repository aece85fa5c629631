package dev.rolegate.engine.match;

/**
 * A compiled glob: {@code *} matches any run of characters (also none), {@code ?} exactly one.
 * Literal {@code *} and {@code ?} (from the {@code ${*}} and {@code ${?}} escapes) are plain
 * characters here.
 */
public final class Glob {
  static final int ANY_RUN = -1;
  static final int ANY_CHAR = -2;

  private final int[] codes;
  private final String literal;

  Glob(int[] codes) {
    this.codes = codes;
    StringBuilder text = new StringBuilder(codes.length);
    for (int c : codes) {
      if (c < 0) {
        text = null;
        break;
      }
      text.append((char) c);
    }
    this.literal = text == null ? null : text.toString();
  }

  /** A glob that matches exactly this text. */
  public static Glob literal(String text) {
    return new Glob(text.chars().toArray());
  }

  /** The text when the glob has no wildcard, else null. */
  public String literalText() {
    return literal;
  }

  public boolean matchesEverything() {
    return codes.length == 1 && codes[0] == ANY_RUN;
  }

  public boolean matches(CharSequence s) {
    return matches(s, 0, s.length());
  }

  /** Matches the region {@code [from, to)} of s. */
  public boolean matches(CharSequence s, int from, int to) {
    if (literal != null) {
      return regionEquals(s, from, to);
    }
    int p = 0;
    int i = from;
    int starP = -1;
    int starI = 0;
    while (i < to) {
      if (p < codes.length && (codes[p] == ANY_CHAR || codes[p] == s.charAt(i))) {
        p++;
        i++;
      } else if (p < codes.length && codes[p] == ANY_RUN) {
        starP = p++;
        starI = i;
      } else if (starP >= 0) {
        p = starP + 1;
        i = ++starI;
      } else {
        return false;
      }
    }
    while (p < codes.length && codes[p] == ANY_RUN) {
      p++;
    }
    return p == codes.length;
  }

  /**
   * Matches the region {@code [sFrom, sTo)} of s against the pattern text in {@code [from, to)} of
   * p, Latin-1 characters a byte each, where {@code *} and {@code ?} are the wildcards and every
   * other character is itself: what a glob compiled from that text without variables matches.
   */
  static boolean matches(byte[] p, int from, int to, String s, int sFrom, int sTo) {
    int at = from;
    int i = sFrom;
    int starAt = -1;
    int starI = 0;
    while (i < sTo) {
      if (at < to && (p[at] == '?' || (p[at] != '*' && (p[at] & 0xFF) == s.charAt(i)))) {
        at++;
        i++;
      } else if (at < to && p[at] == '*') {
        starAt = at++;
        starI = i;
      } else if (starAt >= 0) {
        at = starAt + 1;
        i = ++starI;
      } else {
        return false;
      }
    }
    while (at < to && p[at] == '*') {
      at++;
    }
    return at == to;
  }

  private boolean regionEquals(CharSequence s, int from, int to) {
    if (to - from != literal.length()) {
      return false;
    }
    for (int k = 0; k < literal.length(); k++) {
      if (literal.charAt(k) != s.charAt(from + k)) {
        return false;
      }
    }
    return true;
  }
}
