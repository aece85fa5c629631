package dev.rolegate.engine.condition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateValueTest {

  private static BigDecimal at(String text) {
    return DateValue.parse(text).orElseThrow(() -> new AssertionError("no date: " + text));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "2024-01-01T00:00:00Z, 1704067200",
    "2024, 1704067200",
    "2024-01, 1704067200",
    "2024-01-01, 1704067200",
    "2024-01-01T00:00Z, 1704067200",
    "2024-01-01T01:00:00+01:00, 1704067200",
    "2023-12-31T19:00:00-05:00, 1704067200",
    "2024-01-01T00:00:00.000Z, 1704067200",
    "1704067200.0, 1704067200",
    "2024-01-01T00:00:00, 1704067200"
  })
  void isoAndEpochNameTheSameInstant(String iso, String epoch) {
    assertEquals(0, at(iso).compareTo(at(epoch)));
  }

  @ParameterizedTest
  @CsvSource({
    "2024-01-01T00:00:00.5Z, 2024-01-01T00:00:00Z",
    "2024-06-01, 2024-05-31T23:59:59Z",
    "1704067201, 2024-01-01T00:00:00Z"
  })
  void laterIsGreater(String later, String earlier) {
    assertEquals(1, at(later).compareTo(at(earlier)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00Z", "24-01-01", ""})
  void nonDatesAreRefused(String text) {
    assertFalse(DateValue.parse(text).isPresent(), text);
  }
}
