package dev.rolegate.engine.match;

import java.util.ArrayList;
import java.util.Arrays;
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
  /**
   * A variable's key and its default. The key may hold spaces inside it: tag keys may (IAM's own
   * example is {@code Cost Center}), and {@code ${aws:PrincipalTag/Cost Center}} names that tag.
   */
  private static final Pattern VARIABLE =
      Pattern.compile("\\s*([^,\\s'}](?:[^,'}]*[^,\\s'}])?)\\s*(?:,\\s*'([^']*)'\\s*)?");

  /** A variable of the text, with its key as written and in lower case, and its default. */
  private record Variable(String key, String lowerCaseKey, String defaultValue) {}

  /** Marks the place of a variable in {@link #codes}; glob codes are never this low. */
  private static final int VARIABLE_CODE = Integer.MIN_VALUE;

  private static final Variable[] NO_VARIABLES = new Variable[0];

  private final String source;

  /**
   * The glob codes of the text (characters, {@link Glob#ANY_RUN}, {@link Glob#ANY_CHAR}) with
   * {@link #VARIABLE_CODE} where a variable goes; only kept when there are variables. Plain ints
   * rather than a part object per character: most policy text has no variable, and compiling a
   * policy set should not box every character.
   */
  private final int[] codes;

  private final Variable[] variables;
  private final Glob compiled;
  private final boolean ignoreCase;

  /** Whether every code came from its own character: no variable and no escape was read. */
  private final boolean plain;

  private PatternText(
      String source, int[] codes, Variable[] variables, boolean ignoreCase, boolean plain) {
    this.source = source;
    this.plain = plain;
    this.variables = variables;
    this.ignoreCase = ignoreCase;
    if (variables.length == 0) {
      this.codes = null;
      this.compiled = new Glob(codes);
    } else {
      this.codes = codes;
      this.compiled = null;
    }
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
    // Each code consumes at least one character of the text, so the text's length suffices.
    int[] codes = new int[s.length()];
    int n = 0;
    List<Variable> found = null;
    boolean plain = true;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (variables && c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        int close = s.indexOf('}', i + 2);
        if (close > 0) {
          String inner = s.substring(i + 2, close);
          if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
            codes[n++] = inner.charAt(0);
            plain = false;
            i = close + 1;
            continue;
          }
          Matcher m = VARIABLE.matcher(inner);
          if (m.matches()) {
            if (found == null) {
              found = new ArrayList<>(2);
            }
            found.add(new Variable(m.group(1), m.group(1).toLowerCase(Locale.ROOT), m.group(2)));
            codes[n++] = VARIABLE_CODE;
            plain = false;
            i = close + 1;
            continue;
          }
        }
      }
      if (wildcards && c == '*') {
        codes[n++] = Glob.ANY_RUN;
      } else if (wildcards && c == '?') {
        codes[n++] = Glob.ANY_CHAR;
      } else {
        codes[n++] = c;
      }
      i++;
    }
    return new PatternText(
        text,
        n == codes.length ? codes : Arrays.copyOf(codes, n),
        found == null ? NO_VARIABLES : found.toArray(NO_VARIABLES),
        ignoreCase,
        plain);
  }

  /** The text as written in the policy. */
  public String source() {
    return source;
  }

  /**
   * Whether the text is its own glob: each character stands for itself, {@code *} and {@code ?}
   * (when wildcards) for theirs. False once a variable or an escape such as <code>${*}</code> was
   * read.
   */
  boolean isPlain() {
    return plain;
  }

  public boolean hasVariables() {
    return variables.length > 0;
  }

  /** The keys (as written) of the variables in this text that the source cannot resolve. */
  public List<String> unresolvedVariables(VariableSource source) {
    if (variables.length == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(0);
    for (Variable v : variables) {
      if (v.defaultValue() == null && source.singleValue(v.lowerCaseKey()) == null) {
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
    return compiled != null ? compiled : build(source);
  }

  private Glob build(VariableSource source) {
    int[] out = new int[codes.length + 16];
    int n = 0;
    int next = 0;
    for (int code : codes) {
      if (code != VARIABLE_CODE) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = code;
        continue;
      }
      Variable v = variables[next++];
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
      if (n + value.length() > out.length) {
        out = Arrays.copyOf(out, (n + value.length()) * 2);
      }
      // A substituted value is literal: a '*' in a user name is no wildcard.
      for (int k = 0; k < value.length(); k++) {
        out[n++] = value.charAt(k);
      }
    }
    return new Glob(Arrays.copyOf(out, n));
  }

  @Override
  public String toString() {
    return source;
  }
}
