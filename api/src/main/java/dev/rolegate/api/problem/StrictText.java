package dev.rolegate.api.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.io.buffer.ReferenceCounted;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.body.StringBodyReader;
import io.micronaut.http.body.TypedMessageBodyReader;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a request body into text strictly: bytes that are not valid in the body's charset (UTF-8
 * unless the request declares another) are a {@code malformed_json} problem naming where they are,
 * instead of being replaced by U+FFFD as Micronaut's own reader does. Every body rolegate reads is
 * text it decides on, logs or stores (decision requests, policies, imports): silently replaced
 * bytes would be answered and kept as something the client never sent.
 */
@Singleton
@Replaces(StringBodyReader.class)
public final class StrictText implements TypedMessageBodyReader<String> {

  @Override
  public Argument<String> getType() {
    return Argument.STRING;
  }

  @Override
  public String read(
      Argument<String> type, MediaType mediaType, Headers headers, ByteBuffer<?> body) {
    checkEncoding(headers);
    Charset charset = charset(mediaType);
    String text = body.toString(charset);
    if (text.indexOf('\uFFFD') >= 0) {
      refuseIfInvalid(body.toByteArray(), charset);
    }
    // Released once read, as Micronaut's reader does; a body refused is released by the server.
    if (body instanceof ReferenceCounted counted) {
      counted.release();
    }
    return text;
  }

  @Override
  public String read(
      Argument<String> type, MediaType mediaType, Headers headers, InputStream body) {
    checkEncoding(headers);
    Charset charset = charset(mediaType);
    try {
      return decode(body.readAllBytes(), charset);
    } catch (IOException e) {
      throw new CodecException("Failed to read the request body", e);
    }
  }

  /** The body's charset: the Content-Type's {@code charset}, quoted or not, else UTF-8. */
  private static Charset charset(MediaType mediaType) {
    String name =
        mediaType == null ? null : mediaType.getParametersMap().get(MediaType.CHARSET_PARAMETER);
    if (name == null) {
      return StandardCharsets.UTF_8;
    }
    String unquoted =
        name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
            ? name.substring(1, name.length() - 1)
            : name;
    try {
      return Charset.forName(unquoted.strip());
    } catch (IllegalArgumentException unknown) {
      throw new ApiProblem(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the Content-Type's charset `"
              + name
              + "` is not one this server knows: send the body"
              + " as UTF-8");
    }
  }

  /**
   * The server expands gzip and deflate bodies before they are read, and drops their
   * Content-Encoding then; a coding still named here (br, zstd, a typo) was not undone, and the
   * bytes would be read as if they were the text. RFC 9110 answers that with 415.
   */
  private static void checkEncoding(Headers headers) {
    String encoding = headers.get(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      throw new ApiProblem(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body's Content-Encoding `"
              + encoding
              + "` is not one this server expands: send the body as is, or compressed with gzip"
              + " or deflate");
    }
  }

  /**
   * The bytes as text, or a problem at the first byte that is not valid in {@code charset}. The
   * usual case costs one look for U+FFFD in the decoded text: only text that holds one (replaced,
   * or sent as such) is decoded again, strictly, to tell which.
   */
  static String decode(byte[] bytes, Charset charset) {
    String text = new String(bytes, charset);
    if (text.indexOf('\uFFFD') >= 0) {
      refuseIfInvalid(bytes, charset);
    }
    return text;
  }

  /** A problem at the first byte that is not valid in {@code charset}, if one is not. */
  private static void refuseIfInvalid(byte[] bytes, Charset charset) {
    firstInvalid(bytes, charset)
        .ifPresent(
            where -> {
              throw new ApiProblem(
                  ErrorCode.MALFORMED_JSON,
                  "the body is not valid "
                      + charset.name()
                      + " at "
                      + where
                      + "; send it encoded as "
                      + charset.name());
            });
  }

  /**
   * Where the first byte that is not valid in {@code charset} is, for a person: "line L, column C
   * (byte offset N: 0xXX)", the line and column counted in the characters before it; empty when all
   * bytes are valid.
   */
  public static Optional<String> firstInvalid(byte[] bytes, Charset charset) {
    CharsetDecoder strict =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    CharBuffer out =
        CharBuffer.allocate((int) (bytes.length * (double) strict.maxCharsPerByte()) + 1);
    CoderResult result = strict.decode(in, out, true);
    if (!result.isError()) {
      result = strict.flush(out);
    }
    if (!result.isError()) {
      return Optional.empty();
    }
    int at = Math.min(in.position(), bytes.length - 1);
    out.flip();
    int line = 1;
    int column = 1;
    for (int i = 0; i < out.length(); i++) {
      if (out.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return Optional.of(
        String.format(
            "line %d, column %d (byte offset %d: 0x%02x)", line, column, at, bytes[at] & 0xff));
  }
}
