package dev.rolegate.api.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL server for the integration tests, found in this order: the JDBC URL in {@code
 * ROLEGATE_TEST_JDBC_URL} (with {@code ROLEGATE_TEST_JDBC_USER} and {@code
 * ROLEGATE_TEST_JDBC_PASSWORD}); a Testcontainers container when a Docker engine answers; an
 * embedded PostgreSQL from a Maven artifact; else the tests fail with a message naming the
 * variables. Each test class gets a database of its own on that server.
 */
public final class TestDatabase {
  /** The server every test class of this JVM uses, found once. */
  private static Server server;

  /** Where to connect: the server's URL up to the database name, and the credentials. */
  public record Server(String source, String host, int port, String user, String password) {
    public String url(String database) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
  }

  /** A fresh, empty database of its own. */
  public record Database(String url, String user, String password, String source) {}

  private TestDatabase() {}

  /** The databases this JVM made, dropped when it ends. */
  private static final List<String> created = new ArrayList<>();

  public static synchronized Database create() {
    if (server == null) {
      server = find();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated, "drop-test-dbs"));
    }
    String name = "rolegate_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    created.add(name);
    try (Connection c =
            DriverManager.getConnection(server.url("postgres"), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a test database on " + server.source() + ": " + e.getMessage(), e);
    }
    return new Database(server.url(name), server.user(), server.password(), server.source());
  }

  /**
   * Drops the databases this JVM made, so that a machine's server does not fill up run after run
   * (each run of the tests makes some forty). {@code WITH (FORCE)} (PostgreSQL 13 and newer) cuts
   * the connections of nodes that were not closed. What cannot be dropped is left.
   */
  private static synchronized void dropCreated() {
    try (Connection c =
            DriverManager.getConnection(server.url("postgres"), server.user(), server.password());
        Statement s = c.createStatement()) {
      for (String name : created) {
        try {
          s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
          // left for a person to drop
        }
      }
    } catch (SQLException e) {
      // the server is gone already (an embedded or container one stops with the JVM)
    }
  }

  private static Server find() {
    String url = System.getenv("ROLEGATE_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return fromUrl(url);
    }
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
      container.start();
      return new Server(
          "Testcontainers",
          container.getHost(),
          container.getMappedPort(5432),
          container.getUsername(),
          container.getPassword());
    }
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(Files.createTempDirectory("rolegate-it-pg"))
              .setCleanDataDirectory(true)
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg)));
      return new Server("embedded PostgreSQL", "localhost", pg.getPort(), "postgres", "");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "no PostgreSQL for the integration tests: set ROLEGATE_TEST_JDBC_URL (e.g."
              + " jdbc:postgresql://127.0.0.1:5432/postgres) with ROLEGATE_TEST_JDBC_USER and"
              + " ROLEGATE_TEST_JDBC_PASSWORD, or run a Docker engine; the embedded PostgreSQL"
              + " failed too: "
              + e.getMessage(),
          e);
    }
  }

  private static Server fromUrl(String url) {
    var m =
        java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?(?:/.*)?")
            .matcher(url.trim());
    if (!m.matches()) {
      throw new IllegalStateException(
          "ROLEGATE_TEST_JDBC_URL must look like jdbc:postgresql://HOST:PORT/DATABASE, not " + url);
    }
    String user = System.getenv().getOrDefault("ROLEGATE_TEST_JDBC_USER", "postgres");
    String password = System.getenv().getOrDefault("ROLEGATE_TEST_JDBC_PASSWORD", "");
    int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    return new Server("ROLEGATE_TEST_JDBC_URL", m.group(1), port, user, password);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void close(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      System.err.println(
          "embedded PostgreSQL did not stop: " + e.getMessage().toLowerCase(Locale.ROOT));
    }
  }
}
