package dev.rolegate.api.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: when no {@code DATASOURCES_DEFAULT_URL} is configured, a real PostgreSQL
 * (binaries from a Maven artifact) runs beside the service with its data in {@code
 * $ROLEGATE_HOME/postgres} ({@code ~/.rolegate} by default), kept across restarts.
 */
public final class EmbeddedDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** How long the database waits for the node to stop before it stops all the same. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

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
   * properties; stopped when the JVM exits, once the node's stop is done ({@code stopped}).
   *
   * <p>Why wait: the JVM runs its shutdown hooks at once, Micronaut's among them. A database
   * stopped beside the node's graceful stop would take the connections the node still uses to store
   * its audit queue (which then went to the spool) and its change follower's (logged as broken).
   */
  public static void start(BooleanSupplier stopped) throws IOException {
    Path data = home().resolve("postgres");
    Files.createDirectories(data.getParent());
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false) // its own would stop it at once: ours waits, below
            .setOverrideWorkingDirectory(home().resolve("postgres-binaries").toFile())
            .start();
    System.setProperty("datasources.default.url", pg.getJdbcUrl("postgres", "postgres"));
    System.setProperty("datasources.default.username", "postgres");
    System.setProperty("datasources.default.password", "");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Bounded: past the node's grace period and its audit flush.
                  long deadline = System.nanoTime() + STOP_WAIT.toNanos();
                  while (!stopped.getAsBoolean() && System.nanoTime() < deadline) {
                    try {
                      Thread.sleep(50);
                    } catch (InterruptedException e) {
                      break;
                    }
                  }
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
