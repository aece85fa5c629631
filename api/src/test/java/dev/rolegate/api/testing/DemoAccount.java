package dev.rolegate.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rolegate.api.testing.Api.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The demo account (what the jar's {@code --demo} loads), as the HTTP tests import it. */
public final class DemoAccount {
  public static final String ID = "111122223333";

  private DemoAccount() {}

  /** Its authorization details, as {@code aws iam get-account-authorization-details} gives them. */
  public static String text() {
    try (InputStream in =
        DemoAccount.class.getResourceAsStream("/demo/authorization-details.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Imports it through the API; the test fails when the import is refused. */
  public static void importInto(Api api) {
    Response r = api.put("/v1/accounts/" + ID + "/authorization-details", text());
    assertEquals(200, r.status(), r::toString);
  }
}
