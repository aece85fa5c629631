package dev.rolegate.api.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: when no {@code DATASOURCES_DEFAULT_URL} is configured, a real PostgreSQL
 * (binaries from a Maven artifact) runs beside the service with its data in {@code
 * $ROLEGATE_HOME/postgres} ({@code ~/.rolegate} by default), kept across restarts.
 */
public final class EmbeddedDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private EmbeddedDatabase() {}

  /** Whether the environment or the system properties name a database server. */
  public static boolean isConfigured() {
    return notBlank(System.getenv("DATASOURCES_DEFAULT_URL"))
        || notBlank(System.getProperty("datasources.default.url"));
  }

  /** The folder for rolegate's own files: {@code ROLEGATE_HOME}, else {@code ~/.rolegate}. */
  public static Path home() {
    String configured = System.getenv("ROLEGATE_HOME");
    return notBlank(configured)
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".rolegate");
  }

  /**
   * Starts PostgreSQL on a free local port and points the default datasource at it through system
   * properties; stopped when the JVM exits.
   */
  public static void start() throws IOException {
    Path data = home().resolve("postgres");
    Files.createDirectories(data.getParent());
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(home().resolve("postgres-binaries").toFile())
            .start();
    System.setProperty("datasources.default.url", pg.getJdbcUrl("postgres", "postgres"));
    System.setProperty("datasources.default.username", "postgres");
    System.setProperty("datasources.default.password", "");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (IOException e) {
                    LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
                  }
                },
                "embedded-postgres-stop"));
    LOG.info(
        "no database configured (DATASOURCES_DEFAULT_URL): started embedded PostgreSQL on port {}"
            + " with its data in {}",
        pg.getPort(),
        data);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
