package dev.rolegate.api.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.imports.PercentDecoder.Decoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentDecoderTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "%7B%22a%22%3A1%7D   | {\"a\":1}",
        "a+b                 | a+b",
        "a%2Bb%20c           | a+b c",
        "%c3%a9t%C3%A9       | été",
        "caf%C3%A9 and é     | café and é",
        "no escapes          | no escapes",
        "%25%7E              | %~",
      })
  void decodesEscapesAndKeepsEverythingElse(String encoded, String expected) {
    Decoding.Decoded decoded =
        assertInstanceOf(Decoding.Decoded.class, PercentDecoder.decode(encoded));
    assertEquals(expected, decoded.text());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "%7B%ZZ     | `%ZZ` at byte 3 is not a percent escape",
        "abc%4      | `%4` at byte 3 is not a percent escape",
        "abc%       | `%` at byte 3 is not a percent escape",
        "%+1        | `%+1` at byte 0 is not a percent escape",
        "%C3%28     | not valid UTF-8 at decoded byte 0",
        "ok%FF      | not valid UTF-8 at decoded byte 2",
        "%ED%A0%80  | not valid UTF-8",
      })
  void refusesBrokenEscapesAndInvalidUtf8(String encoded, String fragment) {
    Decoding.Malformed malformed =
        assertInstanceOf(Decoding.Malformed.class, PercentDecoder.decode(encoded));
    assertTrue(malformed.message().contains(fragment), malformed.message());
  }
}
