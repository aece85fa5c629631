package dev.rolegate.api.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A PostgreSQL of a test's own (the embedded one), which the test can stop and start again: its
 * port and data outlive a stop, so nodes reconnect to the same database, with what it held.
 */
public final class StoppablePostgres implements AutoCloseable {
  private final int port;
  private final Path data;
  private EmbeddedPostgres running;

  private StoppablePostgres(int port, Path data) {
    this.port = port;
    this.data = data;
  }

  /** A new, empty server, running. */
  public static StoppablePostgres start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StoppablePostgres postgres =
        new StoppablePostgres(port, Files.createTempDirectory("rolegate-stoppable-pg"));
    postgres.startAgain();
    return postgres;
  }

  /** Starts the stopped server on its port and data (no cleaning). */
  public void startAgain() throws IOException {
    if (running == null) {
      running =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(data)
              .setCleanDataDirectory(false)
              .start();
    }
  }

  public void stop() throws IOException {
    if (running != null) {
      running.close();
      running = null;
    }
  }

  /** Its database, as nodes connect to it. */
  public TestDatabase.Database database() {
    return new TestDatabase.Database(
        "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "", "embedded");
  }

  public Connection connect() throws SQLException {
    TestDatabase.Database db = database();
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
