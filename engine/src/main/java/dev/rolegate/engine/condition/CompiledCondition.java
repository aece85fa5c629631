package dev.rolegate.engine.condition;

import dev.rolegate.engine.match.ArnPattern;
import dev.rolegate.engine.match.Glob;
import dev.rolegate.engine.match.PatternText;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.ConditionOperator;
import dev.rolegate.engine.policy.ConditionOperator.ArnTest;
import dev.rolegate.engine.policy.ConditionOperator.BinaryTest;
import dev.rolegate.engine.policy.ConditionOperator.BoolTest;
import dev.rolegate.engine.policy.ConditionOperator.DateTest;
import dev.rolegate.engine.policy.ConditionOperator.IpTest;
import dev.rolegate.engine.policy.ConditionOperator.NullTest;
import dev.rolegate.engine.policy.ConditionOperator.NumericTest;
import dev.rolegate.engine.policy.ConditionOperator.StringTest;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.request.RequestContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A condition with its policy values parsed once into the operator's type. Values that do not parse
 * (the parser reports them) are dropped here, so they match nothing.
 */
public final class CompiledCondition {
  private final Condition source;
  private final ConditionOperator operator;
  private final String lowerCaseKey;
  private final PatternText[] texts;
  private final ArnPattern[] arns;
  private final BigDecimal[] numbers;
  private final IpRange[] ranges;
  private final byte[][] binaries;

  private CompiledCondition(
      Condition source,
      PatternText[] texts,
      ArnPattern[] arns,
      BigDecimal[] numbers,
      IpRange[] ranges,
      byte[][] binaries) {
    this.source = source;
    this.operator = source.operator();
    this.lowerCaseKey = source.key().toLowerCase(Locale.ROOT);
    this.texts = texts;
    this.arns = arns;
    this.numbers = numbers;
    this.ranges = ranges;
    this.binaries = binaries;
  }

  public static CompiledCondition compile(Condition condition, PolicyLanguage language) {
    List<String> values = condition.values();
    boolean variables = language.hasVariables();
    return switch (condition.operator().test()) {
      case StringTest s -> {
        boolean like = s.mode() == ConditionOperator.StringMode.LIKE;
        PatternText[] texts = new PatternText[values.size()];
        for (int i = 0; i < texts.length; i++) {
          texts[i] = PatternText.compile(values.get(i), like, variables, false);
        }
        yield new CompiledCondition(condition, texts, null, null, null, null);
      }
      case ArnTest a -> {
        ArnPattern[] arns = new ArnPattern[values.size()];
        for (int i = 0; i < arns.length; i++) {
          arns[i] = ArnPattern.compile(values.get(i), variables);
        }
        yield new CompiledCondition(condition, null, arns, null, null, null);
      }
      case NumericTest n -> {
        List<BigDecimal> nums = new ArrayList<>();
        values.forEach(v -> parseNumber(v).ifPresent(nums::add));
        yield new CompiledCondition(
            condition, null, null, nums.toArray(BigDecimal[]::new), null, null);
      }
      case DateTest d -> {
        List<BigDecimal> dates = new ArrayList<>();
        values.forEach(v -> DateValue.parse(v).ifPresent(dates::add));
        yield new CompiledCondition(
            condition, null, null, dates.toArray(BigDecimal[]::new), null, null);
      }
      case IpTest ip -> {
        List<IpRange> r = new ArrayList<>();
        values.forEach(v -> IpRange.parse(v).ifPresent(r::add));
        yield new CompiledCondition(condition, null, null, null, r.toArray(IpRange[]::new), null);
      }
      case BinaryTest b -> {
        List<byte[]> bytes = new ArrayList<>();
        values.forEach(v -> decodeBase64(v).ifPresent(bytes::add));
        yield new CompiledCondition(
            condition, null, null, null, null, bytes.toArray(byte[][]::new));
      }
      case BoolTest b -> new CompiledCondition(condition, null, null, null, null, null);
      case NullTest n -> new CompiledCondition(condition, null, null, null, null, null);
    };
  }

  public Condition source() {
    return source;
  }

  /** The key in lower case, as the context stores it. */
  public String lowerCaseKey() {
    return lowerCaseKey;
  }

  /** The keys this condition needs that the request lacks: its own key and its variables. */
  public void collectMissingKeys(RequestContext context, List<String> out) {
    if (context.values(lowerCaseKey) == null && !out.contains(source.key())) {
      out.add(source.key());
    }
    if (texts != null) {
      for (PatternText t : texts) {
        addAll(t.unresolvedVariables(context), out);
      }
    }
    if (arns != null) {
      for (ArnPattern a : arns) {
        addAll(a.unresolvedVariables(context), out);
      }
    }
  }

  private static void addAll(List<String> keys, List<String> out) {
    for (String k : keys) {
      if (!out.contains(k)) {
        out.add(k);
      }
    }
  }

  /** Null when the condition holds, else why not. */
  public ConditionFailure evaluate(RequestContext context) {
    return holds(context)
        ? null
        : new ConditionFailure(
            operator.name(), source.key(), source.values(), context.values(lowerCaseKey));
  }

  /** Whether the condition holds for the request. */
  public boolean holds(RequestContext context) {
    List<String> requestValues = context.values(lowerCaseKey);
    if (operator.test() instanceof NullTest) {
      boolean present = requestValues != null && !requestValues.isEmpty();
      for (String v : source.values()) {
        if (v.equalsIgnoreCase("true") != present) {
          return true;
        }
      }
      return false;
    }
    boolean missing = requestValues == null || requestValues.isEmpty();
    // For the set qualifiers a key whose value is an empty string "resolves to a null dataset"
    // (IAM's page on single-valued and multivalued keys), as a missing key or an empty set does.
    boolean nullDataset = missing || (requestValues.size() == 1 && requestValues.get(0).isEmpty());
    return switch (operator.qualifier()) {
      case NONE -> {
        if (missing) {
          yield operator.negated() || operator.ifExists();
        }
        boolean any = false;
        for (String v : requestValues) {
          if (matchesAnyPolicyValue(v, context)) {
            any = true;
            break;
          }
        }
        yield operator.negated() != any;
      }
      case FOR_ALL_VALUES -> {
        if (nullDataset) {
          yield true;
        }
        for (String v : requestValues) {
          if (operator.negated() == matchesAnyPolicyValue(v, context)) {
            yield false;
          }
        }
        yield true;
      }
      case FOR_ANY_VALUE -> {
        if (nullDataset) {
          yield false;
        }
        for (String v : requestValues) {
          if (operator.negated() != matchesAnyPolicyValue(v, context)) {
            yield true;
          }
        }
        yield false;
      }
    };
  }

  /** The operator's positive test: does one request value match any of the policy's values. */
  private boolean matchesAnyPolicyValue(String value, RequestContext context) {
    return switch (operator.test()) {
      case StringTest s -> {
        for (PatternText t : texts) {
          Glob g = t.resolve(context);
          if (g == null) {
            continue;
          }
          boolean match =
              switch (s.mode()) {
                case EQUALS -> value.equals(g.literalText());
                // Lower-cased, as keys and actions are compared: equalsIgnoreCase would also
                // take the dotless ı for I, which lower-cases to i.
                case EQUALS_IGNORE_CASE ->
                    value.toLowerCase(Locale.ROOT).equals(g.literalText().toLowerCase(Locale.ROOT));
                case LIKE -> g.matches(value);
              };
          if (match) {
            yield true;
          }
        }
        yield false;
      }
      case ArnTest a -> {
        for (ArnPattern p : arns) {
          if (p.matches(value, context)) {
            yield true;
          }
        }
        yield false;
      }
      case NumericTest n -> {
        BigDecimal v = parseNumber(value).orElse(null);
        yield v != null && compareAny(v, n.comparison());
      }
      case DateTest d -> {
        BigDecimal v = DateValue.parse(value).orElse(null);
        yield v != null && compareAny(v, d.comparison());
      }
      case BoolTest b -> {
        for (String p : source.values()) {
          if (p.equalsIgnoreCase(value.strip())) {
            yield true;
          }
        }
        yield false;
      }
      case BinaryTest b -> {
        byte[] v = decodeBase64(value).orElse(null);
        if (v == null) {
          yield false;
        }
        for (byte[] p : binaries) {
          if (Arrays.equals(p, v)) {
            yield true;
          }
        }
        yield false;
      }
      case IpTest ip -> {
        // Parsed once for all ranges; an address that does not parse lies in none of them.
        byte[] address = ranges.length == 0 ? null : IpRange.parseOrNull(value.strip());
        if (address == null) {
          yield false;
        }
        for (IpRange r : ranges) {
          if (r.contains(address)) {
            yield true;
          }
        }
        yield false;
      }
      case NullTest n -> false;
    };
  }

  private boolean compareAny(BigDecimal value, ConditionOperator.Comparison comparison) {
    for (BigDecimal p : numbers) {
      if (comparison.holds(value.compareTo(p))) {
        return true;
      }
    }
    return false;
  }

  /** A decimal number as IAM writes it: digits, an optional sign and fraction. */
  public static java.util.Optional<BigDecimal> parseNumber(String text) {
    String s = text.strip();
    if (!s.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new BigDecimal(s));
  }

  /** Standard base64, as IAM expects for {@code BinaryEquals}. */
  public static java.util.Optional<byte[]> decodeBase64(String text) {
    try {
      return java.util.Optional.of(Base64.getDecoder().decode(text.strip()));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
