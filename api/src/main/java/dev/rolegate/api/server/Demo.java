package dev.rolegate.api.server;

import dev.rolegate.api.admin.ImportController.Importer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: loads the sample account 111122223333, the classic case of a platform engineer
 * (alice, group PlatformEngineers) who may attach only the {@code EC2-roles-for-XYZ-*} roles.
 * Loading replaces whatever that account held before.
 */
@Singleton
public class Demo {
  public static final String ACCOUNT = "111122223333";
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
  private final Importer importer;

  public Demo(Importer importer) {
    this.importer = importer;
  }

  public void load() {
    try (InputStream in = Demo.class.getResourceAsStream("/demo/authorization-details.json")) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      long revision = importer.replace(ACCOUNT, body, "demo").get("revision").asLong();
      LOG.info(
          "demo account {} loaded at revision {}: try user/platform/alice with role"
              + " EC2-roles-for-XYZ-web (allowed) and Admin (denied)",
          ACCOUNT,
          revision);
    } catch (IOException e) {
      throw new UncheckedIOException("the demo account is missing from the jar", e);
    }
  }
}
