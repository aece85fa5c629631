package dev.rolegate.api.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * URLs are read strictly as UTF-8, as bodies are ({@link StrictText}): a path or query parameter
 * whose percent-escapes make bytes that are not UTF-8 ({@code ?input=...%E9...}, Latin-1), or a URL
 * that holds a character beyond ASCII unencoded (which the server would read as Latin-1), is
 * refused naming where, instead of being read with U+FFFD or mojibake in place of the bytes. An OPA
 * client's GET {@code input} is decided and logged as read, and a history filter or an entity's
 * name so read would find nothing, silently.
 */
@ServerFilter("/v1/**")
public class StrictUrl {
  @RequestFilter
  public void check(HttpRequest<?> request) {
    String path = request.getUri().getRawPath();
    String query = request.getUri().getRawQuery();
    checkAscii("path", path);
    checkAscii("query", query);
    if (path != null && path.indexOf('%') >= 0) {
      invalidAt(path).ifPresent(where -> refuse("the path", where));
    }
    // Without an escape every byte is ASCII: the usual case costs this one look.
    if (query == null || query.indexOf('%') < 0) {
      return;
    }
    for (String pair : query.split("&")) {
      if (pair.indexOf('%') < 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      invalidAt(name).ifPresent(where -> refuse("the name of a query parameter", where));
      invalidAt(value).ifPresent(where -> refuse("`" + decoded(name) + "`", where));
    }
  }

  private static void checkAscii(String part, String raw) {
    if (raw == null) {
      return;
    }
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) > 0x7f) {
        throw new ApiProblem(
            ErrorCode.INVALID_REQUEST,
            "the URL's "
                + part
                + " holds a character that is not ASCII at character "
                + (i + 1)
                + ": percent-encode it from UTF-8");
      }
    }
  }

  private static void refuse(String what, String where) {
    throw new ApiProblem(
        ErrorCode.INVALID_PARAMETER,
        what + " is not valid UTF-8 once URL-decoded, at " + where + ": encode it from UTF-8");
  }

  /** Where the URL-decoded bytes of {@code encoded} stop being UTF-8, if they do. */
  private static Optional<String> invalidAt(String encoded) {
    return StrictText.firstInvalid(bytes(encoded), StandardCharsets.UTF_8);
  }

  /** A name for the message: its bytes decoded, bad ones replaced (it is only shown). */
  private static String decoded(String encoded) {
    return new String(bytes(encoded), StandardCharsets.UTF_8);
  }

  /**
   * The bytes a URL-encoded query text stands for: {@code %XX} is a byte, {@code +} a space, as the
   * server reads query parameters. A broken escape does not get here (the server refuses the URL
   * before any filter); one would be taken as it is written.
   */
  private static byte[] bytes(String encoded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      int high =
          c == '%' && i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
      if (low >= 0) {
        out.write(high * 16 + low);
        i += 2;
      } else {
        out.write(c == '+' ? ' ' : c);
      }
    }
    return out.toByteArray();
  }
}
