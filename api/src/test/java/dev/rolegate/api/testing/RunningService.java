package dev.rolegate.api.testing;

import dev.rolegate.api.audit.AuditWriter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real service on a random port, on a database of its own, with the bootstrap token {@link
 * #TOKEN}. Tests talk to it over HTTP and look into its database with plain SQL.
 */
public final class RunningService implements AutoCloseable {
  public static final String TOKEN = "test-bootstrap-token";

  private final TestDatabase.Database database;
  private final EmbeddedServer server;

  private RunningService(TestDatabase.Database database, EmbeddedServer server) {
    this.database = database;
    this.server = server;
  }

  public static RunningService start() {
    return start(Map.of());
  }

  public static RunningService start(Map<String, Object> extra) {
    return startOn(TestDatabase.create(), extra);
  }

  /** Another node on the same database as this one. */
  public RunningService another() {
    return startOn(database, Map.of());
  }

  /** Another node on the same database as this one, with extra configuration. */
  public RunningService another(Map<String, Object> extra) {
    return startOn(database, extra);
  }

  /** A node on the given database, with extra configuration. */
  public static RunningService startOn(TestDatabase.Database db, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put("micronaut.server.port", -1);
    props.put("datasources.default.url", db.url());
    props.put("datasources.default.username", db.user());
    props.put("datasources.default.password", db.password());
    props.put("rolegate.bootstrap-token", TOKEN);
    props.put("rolegate.audit.spool-dir", temporaryFolder("rolegate-spool").toString());
    props.putAll(extra);
    EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
    return new RunningService(db, server);
  }

  /** Waits until every decision answered so far is in the decision log (it is written behind). */
  public void awaitAudit() {
    if (!context().getBean(AuditWriter.class).awaitStored(Duration.ofSeconds(10))) {
      throw new IllegalStateException("decisions were not stored within 10 s");
    }
  }

  private static Path temporaryFolder(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Api api() {
    return new Api(server.getURL().toString(), TOKEN);
  }

  /** The port the node serves on, on this machine. */
  public int port() {
    return server.getPort();
  }

  public ApplicationContext context() {
    return server.getApplicationContext();
  }

  /** A connection of the test's own to the service's database. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  /** One number from the service's database, e.g. {@code SELECT count(*) FROM change_log}. */
  public long count(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The numbers of one row, e.g. several counts read at once. */
  public java.util.List<Long> row(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      java.util.List<Long> out = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getLong(i));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
