package dev.rolegate.engine.condition;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date condition values: the W3C profile of ISO 8601 ({@code YYYY}, {@code YYYY-MM}, {@code
 * YYYY-MM-DD}, {@code YYYY-MM-DDThh:mm[:ss[.s]]TZD}) or epoch seconds. Both sides of a Date
 * operator are turned into an instant, so an epoch value compares correctly with an ISO one.
 */
public final class DateValue {

  private static final Pattern ISO =
      Pattern.compile(
          "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})"
              + "(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
              + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");
  private static final Pattern EPOCH = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private DateValue() {}

  /**
   * The instant as nanoseconds since the epoch, or empty when the text is no date. Four digits are
   * a year (ISO {@code YYYY}); any other number is epoch seconds.
   */
  public static Optional<BigDecimal> parse(String text) {
    String s = text.strip();
    if (s.length() != 4 && EPOCH.matcher(s).matches()) {
      return Optional.of(new BigDecimal(s).multiply(NANOS_PER_SECOND));
    }
    Matcher m = ISO.matcher(s);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      int year = Integer.parseInt(m.group(1));
      int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
      int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
      LocalDate date = LocalDate.of(year, month, day);
      if (m.group(4) == null) {
        return Optional.of(epochNanos(date.atStartOfDay().toEpochSecond(ZoneOffset.UTC), 0));
      }
      int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
      String fraction = m.group(7) == null ? "" : m.group(7);
      int nanos =
          fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
      LocalDateTime time =
          date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), second, nanos);
      ZoneOffset offset = m.group(8) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
      return Optional.of(epochNanos(time.toEpochSecond(offset), nanos));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static BigDecimal epochNanos(long seconds, int nanos) {
    return BigDecimal.valueOf(seconds).multiply(NANOS_PER_SECOND).add(BigDecimal.valueOf(nanos));
  }
}
