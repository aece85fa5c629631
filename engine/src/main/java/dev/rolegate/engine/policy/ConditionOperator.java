package dev.rolegate.engine.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A condition operator as written, e.g. {@code ForAnyValue:StringNotLikeIfExists}: its family and
 * test, whether it is negated, whether it has the {@code IfExists} suffix, and its set qualifier.
 */
public record ConditionOperator(
    String name, Test test, boolean negated, boolean ifExists, SetQualifier qualifier) {

  private static final Map<String, Base> BASES = bases();

  /** An operator without qualifier and suffix: its test and whether it is negated. */
  private record Base(Test test, boolean negated) {}

  /**
   * Parses an operator name such as {@code ForAllValues:StringNotLikeIfExists}; empty when IAM
   * knows no such operator. Names are case-sensitive, as in IAM.
   */
  public static Optional<ConditionOperator> parse(String name) {
    String rest = name;
    SetQualifier qualifier = SetQualifier.NONE;
    if (rest.startsWith("ForAllValues:")) {
      qualifier = SetQualifier.FOR_ALL_VALUES;
      rest = rest.substring("ForAllValues:".length());
    } else if (rest.startsWith("ForAnyValue:")) {
      qualifier = SetQualifier.FOR_ANY_VALUE;
      rest = rest.substring("ForAnyValue:".length());
    }
    boolean ifExists = false;
    if (rest.endsWith("IfExists")) {
      ifExists = true;
      rest = rest.substring(0, rest.length() - "IfExists".length());
    }
    Base base = BASES.get(rest);
    if (base == null || (ifExists && base.test() instanceof NullTest)) {
      return Optional.empty();
    }
    return Optional.of(
        new ConditionOperator(name, base.test(), base.negated(), ifExists, qualifier));
  }

  /** The operator names IAM knows, without qualifier or suffix, for messages. */
  public static java.util.Set<String> baseNames() {
    return BASES.keySet();
  }

  private static Map<String, Base> bases() {
    Map<String, Base> m = new LinkedHashMap<>();
    m.put("StringEquals", new Base(new StringTest(StringMode.EQUALS), false));
    m.put("StringNotEquals", new Base(new StringTest(StringMode.EQUALS), true));
    m.put("StringEqualsIgnoreCase", new Base(new StringTest(StringMode.EQUALS_IGNORE_CASE), false));
    m.put(
        "StringNotEqualsIgnoreCase", new Base(new StringTest(StringMode.EQUALS_IGNORE_CASE), true));
    m.put("StringLike", new Base(new StringTest(StringMode.LIKE), false));
    m.put("StringNotLike", new Base(new StringTest(StringMode.LIKE), true));
    for (String family : new String[] {"Numeric", "Date"}) {
      for (Comparison c : Comparison.values()) {
        Test t = family.equals("Numeric") ? new NumericTest(c) : new DateTest(c);
        m.put(family + comparisonName(c), new Base(t, false));
      }
      Test eq =
          family.equals("Numeric")
              ? new NumericTest(Comparison.EQUALS)
              : new DateTest(Comparison.EQUALS);
      m.put(family + "NotEquals", new Base(eq, true));
    }
    m.put("Bool", new Base(new BoolTest(), false));
    m.put("BinaryEquals", new Base(new BinaryTest(), false));
    m.put("IpAddress", new Base(new IpTest(), false));
    m.put("NotIpAddress", new Base(new IpTest(), true));
    m.put("ArnEquals", new Base(new ArnTest(), false));
    m.put("ArnLike", new Base(new ArnTest(), false));
    m.put("ArnNotEquals", new Base(new ArnTest(), true));
    m.put("ArnNotLike", new Base(new ArnTest(), true));
    m.put("Null", new Base(new NullTest(), false));
    return Map.copyOf(m);
  }

  private static String comparisonName(Comparison c) {
    return switch (c) {
      case EQUALS -> "Equals";
      case LESS_THAN -> "LessThan";
      case LESS_THAN_EQUALS -> "LessThanEquals";
      case GREATER_THAN -> "GreaterThan";
      case GREATER_THAN_EQUALS -> "GreaterThanEquals";
    };
  }

  /** The set qualifier prefix for multivalued keys. */
  public enum SetQualifier {
    NONE,
    FOR_ALL_VALUES,
    FOR_ANY_VALUE
  }

  /** What one request value is compared with, by family. */
  public sealed interface Test {}

  /** String family: exact, ignore-case, or glob ({@code Like}). */
  public record StringTest(StringMode mode) implements Test {}

  public enum StringMode {
    EQUALS,
    EQUALS_IGNORE_CASE,
    LIKE
  }

  /** Numeric family. */
  public record NumericTest(Comparison comparison) implements Test {}

  /** Date family: ISO 8601 or epoch seconds on either side. */
  public record DateTest(Comparison comparison) implements Test {}

  /** {@code Bool}. */
  public record BoolTest() implements Test {}

  /** {@code BinaryEquals}: base64 compared byte for byte. */
  public record BinaryTest() implements Test {}

  /** {@code IpAddress} / {@code NotIpAddress}: CIDR ranges, IPv4 or IPv6. */
  public record IpTest() implements Test {}

  /** {@code ArnEquals} / {@code ArnLike}: each of the six ARN parts matched on its own. */
  public record ArnTest() implements Test {}

  /** {@code Null}: whether the key is absent. */
  public record NullTest() implements Test {}

  /** How a numeric or date value compares with the policy value. */
  public enum Comparison {
    EQUALS,
    LESS_THAN,
    LESS_THAN_EQUALS,
    GREATER_THAN,
    GREATER_THAN_EQUALS;

    public boolean holds(int compareResult) {
      return switch (this) {
        case EQUALS -> compareResult == 0;
        case LESS_THAN -> compareResult < 0;
        case LESS_THAN_EQUALS -> compareResult <= 0;
        case GREATER_THAN -> compareResult > 0;
        case GREATER_THAN_EQUALS -> compareResult >= 0;
      };
    }
  }
}
