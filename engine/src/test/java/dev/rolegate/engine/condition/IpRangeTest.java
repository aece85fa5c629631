package dev.rolegate.engine.condition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "203.0.113.0/24, 203.0.113.7, true",
    "203.0.113.0/24, 203.0.114.7, false",
    "10.0.0.0/8, 10.255.255.255, true",
    "10.1.2.3, 10.1.2.3, true",
    "10.1.2.3, 10.1.2.4, false",
    "0.0.0.0/0, 192.0.2.1, true",
    "192.0.2.0/25, 192.0.2.127, true",
    "192.0.2.0/25, 192.0.2.128, false",
    "2001:db8::/32, 2001:db8:1234::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "2001:DB8::1, 2001:db8:0:0:0:0:0:1, true",
    "::1, 0:0:0:0:0:0:0:1, true",
    "::ffff:192.0.2.0/120, ::ffff:192.0.2.77, true",
    "2001:db8::/32, 203.0.113.7, false",
    "203.0.113.0/24, 2001:db8::1, false",
    "203.0.113.0/24, not-an-ip, false"
  })
  void containment(String range, String address, boolean expected) {
    assertEquals(expected, IpRange.parse(range).orElseThrow().contains(address));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4/33",
        "1.2.3.4/",
        "1.2.3.4/-1",
        "01234.1.1.1",
        "2001:db8::/129",
        "1::2::3",
        "12345::1",
        "1:2:3:4:5:6:7:8:9",
        "g::1",
        "example.com",
        "\uff12001:db8::/32",
        "10.0.0.0/\u0668",
        ""
      })
  void invalidRangesAreRefused(String text) {
    assertFalse(IpRange.parse(text).isPresent(), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1:2:3:4:5:6:7:8", "::", "1::", "::2:3", "1:2:3:4:5:6:1.2.3.4"})
  void validIpv6Forms(String text) {
    assertTrue(IpRange.parse(text).isPresent(), text);
  }
}
