package dev.rolegate.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StrictTextTest {
  private static final Charset UTF8 = StandardCharsets.UTF_8;

  @Test
  void validTextIsReadAsSentIncludingTheReplacementCharacterItself() {
    String text = "{\"a\": \"caf\u00e9 \u20ac \ud83d\ude00 \uFFFD\"}\n";
    assertEquals(text, StrictText.decode(text.getBytes(StandardCharsets.UTF_8), UTF8));
    assertEquals(Optional.empty(), StrictText.firstInvalid(text.getBytes(UTF8), UTF8));
  }

  @Test
  void theFirstBadByteIsNamedByLineColumnAndOffset() {
    byte[] bytes = {'{', '\n', ' ', ' ', '"', (byte) 0xff, '"', (byte) 0xfe};
    ApiProblem p = assertThrows(ApiProblem.class, () -> StrictText.decode(bytes, UTF8));
    assertEquals(ErrorCode.MALFORMED_JSON, p.code());
    assertEquals(
        "the body is not valid UTF-8 at line 2, column 4 (byte offset 5: 0xff); send it encoded"
            + " as UTF-8",
        p.getMessage());
  }

  @Test
  void aSequenceCutShortAtTheEndIsNamedWhereItStarts() {
    byte[] bytes = {'a', 'b', (byte) 0xe2, (byte) 0x82};
    assertEquals(
        Optional.of("line 1, column 3 (byte offset 2: 0xe2)"),
        StrictText.firstInvalid(bytes, UTF8));
  }

  @Test
  void inLatin1EveryByteIsACharacter() {
    byte[] bytes = {'a', (byte) 0xe9, (byte) 0xff, (byte) 0x80};
    assertEquals("a\u00e9\u00ff\u0080", StrictText.decode(bytes, StandardCharsets.ISO_8859_1));
  }

  /**
   * Random bytes, mostly ASCII with UTF-8 sequences whole, cut, overlong or surrogate: refused
   * exactly when the table of well-formed sequences says they are ill-formed, at the offset where
   * the first ill-formed sequence starts.
   */
  @Test
  void refusesExactlyWhatAStrictDecoderRefuses() {
    Random random = new Random(20261203);
    int refused = 0;
    for (int n = 0; n < 100_000; n++) {
      byte[] bytes = new byte[random.nextInt(12)];
      for (int i = 0; i < bytes.length; i++) {
        int kind = random.nextInt(10);
        bytes[i] =
            (byte)
                (kind < 6
                    ? 0x20 + random.nextInt(0x5f)
                    : kind < 8 ? 0x80 + random.nextInt(0x40) : 0xc0 + random.nextInt(0x40));
      }
      Optional<Integer> expected = strictlyBadAt(bytes);
      Optional<String> found = StrictText.firstInvalid(bytes, UTF8);
      assertEquals(expected.isPresent(), found.isPresent(), () -> hex(bytes));
      if (expected.isPresent()) {
        refused++;
        assertTrue(found.get().contains("(byte offset " + expected.get() + ":"), found::get);
        assertThrows(ApiProblem.class, () -> StrictText.decode(bytes, UTF8), () -> hex(bytes));
      } else {
        assertEquals(new String(bytes, UTF8), StrictText.decode(bytes, UTF8));
      }
    }
    assertTrue(refused > 10_000 && refused < 90_000, "refused " + refused);
  }

  /**
   * Where the first ill-formed sequence starts, by the table of well-formed UTF-8 byte sequences
   * (Unicode, chapter 3, table 3-7), written out here independently of the JDK's decoder.
   */
  private static Optional<Integer> strictlyBadAt(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      int length;
      int secondLow = 0x80;
      int secondHigh = 0xbf;
      if (b <= 0x7f) {
        length = 1;
      } else if (b >= 0xc2 && b <= 0xdf) {
        length = 2;
      } else if (b >= 0xe0 && b <= 0xef) {
        length = 3;
        secondLow = b == 0xe0 ? 0xa0 : 0x80;
        secondHigh = b == 0xed ? 0x9f : 0xbf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        length = 4;
        secondLow = b == 0xf0 ? 0x90 : 0x80;
        secondHigh = b == 0xf4 ? 0x8f : 0xbf;
      } else {
        return Optional.of(i);
      }
      for (int k = 1; k < length; k++) {
        if (i + k >= bytes.length) {
          return Optional.of(i);
        }
        int c = bytes[i + k] & 0xff;
        int low = k == 1 ? secondLow : 0x80;
        int high = k == 1 ? secondHigh : 0xbf;
        if (c < low || c > high) {
          return Optional.of(i);
        }
      }
      i += length;
    }
    return Optional.empty();
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x ", b & 0xff));
    }
    return out.toString();
  }
}
