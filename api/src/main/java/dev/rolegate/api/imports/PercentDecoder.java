package dev.rolegate.api.imports;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict RFC 3986 percent-decoding, as IAM encodes policy documents. Unlike {@code URLDecoder} it
 * leaves {@code +} alone (IAM encodes a space as {@code %20}, so a literal {@code +} is a plus) and
 * refuses broken escapes and invalid UTF-8 instead of replacing them.
 */
final class PercentDecoder {
  private PercentDecoder() {}

  /** The decoded text, or why it cannot be decoded. */
  sealed interface Decoding {
    record Decoded(String text) implements Decoding {}

    record Malformed(String message) implements Decoding {}
  }

  static Decoding decode(String encoded) {
    byte[] bytes;
    try {
      bytes = strictUtf8(encoded);
    } catch (CharacterCodingException e) {
      return new Decoding.Malformed("the document holds an unpaired UTF-16 surrogate");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    // `%` is ASCII, so it never occurs inside a multi-byte UTF-8 sequence of a literal character.
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '%') {
        out.write(bytes[i]);
        continue;
      }
      int high = i + 1 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int low = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
      if (high < 0 || low < 0) {
        return new Decoding.Malformed(
            "`"
                + escapeAt(bytes, i)
                + "` at byte "
                + i
                + " is not a percent escape: `%` must be followed by two hexadecimal digits");
      }
      out.write(high * 16 + low);
      i += 2;
    }
    return utf8(out.toByteArray());
  }

  private static byte[] strictUtf8(String text) throws CharacterCodingException {
    ByteBuffer buffer =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .encode(CharBuffer.wrap(text));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static Decoding utf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return new Decoding.Malformed(
          "the percent-decoded document is not valid UTF-8 at decoded byte " + in.position());
    }
    decoder.flush(out);
    return new Decoding.Decoded(out.flip().toString());
  }

  /** The broken escape as written, up to three ASCII characters, for the message. */
  private static String escapeAt(byte[] bytes, int at) {
    int end = at + 1;
    while (end < bytes.length && end < at + 3 && bytes[end] >= 0) {
      end++;
    }
    return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
  }
}
