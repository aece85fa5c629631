package dev.rolegate.engine.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Policy text that may hold wildcards and policy variables, compiled once. {@code ${key}} and
 * {@code ${key, 'default'}} are replaced from the request; {@code ${*}}, {@code ${?}} and {@code
 * ${$}} stand for the literal characters. Without variables the glob is built once, up front.
 */
public final class PatternText {
  private static final Pattern VARIABLE =
      Pattern.compile("\\s*([^,\\s'}]+)\\s*(?:,\\s*'([^']*)'\\s*)?");

  /** One piece of the text: a literal character, a wildcard, or a variable. */
  private sealed interface Part {}

  private record Char(int code) implements Part {}

  private record Variable(String key, String lowerCaseKey, String defaultValue) implements Part {}

  private final String source;
  private final List<Part> parts;
  private final Glob compiled;
  private final boolean ignoreCase;

  private PatternText(String source, List<Part> parts, boolean ignoreCase) {
    this.source = source;
    this.parts = parts;
    this.ignoreCase = ignoreCase;
    this.compiled = hasVariables() ? null : build(parts, null);
  }

  /**
   * Compiles policy text.
   *
   * @param wildcards whether {@code *} and {@code ?} are wildcards (Like operators, actions,
   *     resources) or plain characters (Equals operators)
   * @param variables whether {@code ${...}} is a variable (Version 2012-10-17 only)
   * @param ignoreCase whether to lower-case the text (actions); the subject must be lower case too
   */
  public static PatternText compile(
      String text, boolean wildcards, boolean variables, boolean ignoreCase) {
    String s = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
    List<Part> parts = new ArrayList<>(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (variables && c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        int close = s.indexOf('}', i + 2);
        if (close > 0) {
          String inner = s.substring(i + 2, close);
          if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
            parts.add(new Char(inner.charAt(0)));
            i = close + 1;
            continue;
          }
          Matcher m = VARIABLE.matcher(inner);
          if (m.matches()) {
            parts.add(new Variable(m.group(1), m.group(1).toLowerCase(Locale.ROOT), m.group(2)));
            i = close + 1;
            continue;
          }
        }
      }
      if (wildcards && c == '*') {
        parts.add(new Char(Glob.ANY_RUN));
      } else if (wildcards && c == '?') {
        parts.add(new Char(Glob.ANY_CHAR));
      } else {
        parts.add(new Char(c));
      }
      i++;
    }
    return new PatternText(text, List.copyOf(parts), ignoreCase);
  }

  /** The text as written in the policy. */
  public String source() {
    return source;
  }

  public boolean hasVariables() {
    for (Part p : parts) {
      if (p instanceof Variable) {
        return true;
      }
    }
    return false;
  }

  /** The keys (as written) of the variables in this text that the source cannot resolve. */
  public List<String> unresolvedVariables(VariableSource source) {
    List<String> out = new ArrayList<>(0);
    for (Part p : parts) {
      if (p instanceof Variable v
          && v.defaultValue() == null
          && source.singleValue(v.lowerCaseKey()) == null) {
        out.add(v.key());
      }
    }
    return out;
  }

  /**
   * The glob with variables substituted, or null when a variable has no value and no default: such
   * text matches nothing.
   */
  public Glob resolve(VariableSource source) {
    return compiled != null ? compiled : build(parts, source);
  }

  private Glob build(List<Part> parts, VariableSource source) {
    int[] codes = new int[parts.size() + 16];
    int n = 0;
    for (Part p : parts) {
      switch (p) {
        case Char ch -> {
          if (n == codes.length) {
            codes = java.util.Arrays.copyOf(codes, n * 2);
          }
          codes[n++] = ch.code();
        }
        case Variable v -> {
          String value = source.singleValue(v.lowerCaseKey());
          if (value == null) {
            value = v.defaultValue();
          }
          if (value == null) {
            return null;
          }
          if (ignoreCase) {
            value = value.toLowerCase(Locale.ROOT);
          }
          if (n + value.length() > codes.length) {
            codes = java.util.Arrays.copyOf(codes, (n + value.length()) * 2);
          }
          // A substituted value is literal: a '*' in a user name is no wildcard.
          for (int k = 0; k < value.length(); k++) {
            codes[n++] = value.charAt(k);
          }
        }
      }
    }
    return new Glob(java.util.Arrays.copyOf(codes, n));
  }

  @Override
  public String toString() {
    return source;
  }
}
