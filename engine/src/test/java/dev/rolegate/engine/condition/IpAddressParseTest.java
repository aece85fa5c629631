package dev.rolegate.engine.condition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written IPv4 parser accepts exactly the four groups of 1 to 3 ASCII digits up to 255,
 * leading zeros read as decimal.
 */
class IpAddressParseTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "1.2.3",
        "1.2.3.4.",
        ".1.2.3",
        "1..2.3",
        "1.2.3.256",
        "1.2.3.0004",
        "1.2.3.a",
        "+1.2.3.4",
        "1.2.3.4 ",
        "999.1.1.1",
        "1.2.3.-4",
        "1.2.3.\u0664"
      })
  void rejects(String text) {
    assertNull(IpRange.parseOrNull(text), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "203.0.113.7", "255.255.255.255", "010.001.0.00"})
  void accepts(String text) {
    String[] parts = text.split("\\.");
    byte[] expected = new byte[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = (byte) Integer.parseInt(parts[i]);
    }
    assertArrayEquals(expected, IpRange.parseOrNull(text), text);
  }
}
