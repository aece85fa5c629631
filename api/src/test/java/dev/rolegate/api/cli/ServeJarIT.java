package dev.rolegate.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.api.testing.CommandOutput;
import dev.rolegate.api.testing.Jar;
import dev.rolegate.api.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar rolegate.jar} (serve) when it cannot start: it exits 1 and says why in a few
 * lines, naming what failed and the setting to look at, without a stack trace.
 */
class ServeJarIT {
  static Map<String, String> on(TestDatabase.Database db) {
    Map<String, String> env = new HashMap<>();
    env.put("DATASOURCES_DEFAULT_URL", db.url());
    env.put("DATASOURCES_DEFAULT_USERNAME", db.user());
    env.put("DATASOURCES_DEFAULT_PASSWORD", db.password() == null ? "" : db.password());
    env.put(
        "ROLEGATE_AUDIT_SPOOL_DIR", System.getProperty("java.io.tmpdir") + "/rolegate-serve-it");
    return env;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Exit code 1, the reason on the first line, the causes after it, and no stack frames. */
  static String refused(CommandOutput r) {
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("rolegate: cannot start: "), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertTrue(r.err().lines().count() <= 10, r.err());
    return r.err().lines().findFirst().orElseThrow();
  }

  @Test
  void anUnreachableDatabaseIsNamedWithoutItsPassword() throws Exception {
    int port = freePort();
    CommandOutput r =
        Jar.run(
            Map.of(
                "DATASOURCES_DEFAULT_URL",
                "jdbc:postgresql://127.0.0.1:" + port + "/rolegate?password=s3cret",
                "DATASOURCES_DEFAULT_CONNECTION_TIMEOUT",
                "2000"));
    String reason = refused(r);
    assertTrue(
        reason.contains("PostgreSQL at jdbc:postgresql://127.0.0.1:" + port + "/rolegate did not"),
        reason);
    assertTrue(reason.contains("Connection to 127.0.0.1:" + port + " refused"), reason);
    assertTrue(reason.contains("DATASOURCES_DEFAULT_URL"), reason);
    assertFalse(r.err().contains("s3cret"), r.err());
  }

  @Test
  void aTakenPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Map<String, String> env = on(database());
      env.put("MICRONAUT_SERVER_PORT", Integer.toString(taken.getLocalPort()));
      String reason = refused(Jar.run(env));
      assertTrue(reason.contains(":" + taken.getLocalPort()), reason);
      assertTrue(reason.contains("Address already in use"), reason);
      assertTrue(reason.contains("MICRONAUT_SERVER_PORT"), reason);
    }
  }

  /** A setting that means nothing stops the start, named as the operator wrote it. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ROLEGATE_AUDIT_RETENTION_MONTHS | -3 | ROLEGATE_AUDIT_RETENTION_MONTHS must be 0",
        "ROLEGATE_AUDIT_QUEUE_CAPACITY | lots | Unable to convert value [lots] to target type [int]",
        "ROLEGATE_AUDIT_BATCH_SIZE | 0 | ROLEGATE_AUDIT_BATCH_SIZE must be 1 or more decisions, not 0",
        "ROLEGATE_AUDIT_ANSWER_AFTER_STORE | yes | ROLEGATE_AUDIT_ANSWER_AFTER_STORE must be true or"
            + " false, not `yes`",
        "ROLEGATE_SNAPSHOT_PRELOAD | off | ROLEGATE_SNAPSHOT_PRELOAD must be true or false, not `off`",
        "ROLEGATE_NODE_NAME | node one | ROLEGATE_NODE_NAME must be at most 128 characters",
        "MICRONAUT_METRICS_ENABLED | nope | MICRONAUT_METRICS_ENABLED must be true or false",
        "MICRONAUT_METRICS_BINDERS_WEB_ENABLED | nope | must be true or false, not `nope`",
        "MICRONAUT_SERVER_MAX_REQUEST_SIZE | 0 | must be a size of 1 byte or more",
        "MICRONAUT_SERVER_MAX_REQUEST_BUFFER_SIZE | -1 | must be a size of 1 byte or more",
        "DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE | 1 | must be 2 or more connections",
        "MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_GRACE_PERIOD | abc | must be a duration",
        "MICRONAUT_SERVER_PORT | abc | Unable to convert value [abc]"
      })
  void aRefusedSettingIsNamed(String variable, String value, String said) throws Exception {
    Map<String, String> env = on(database());
    env.put("MICRONAUT_SERVER_PORT", Integer.toString(freePort()));
    env.put(variable, value);
    String reason = refused(Jar.run(env));
    assertTrue(reason.contains(said), reason);
    assertTrue(reason.contains(variable), reason);
  }

  /** A spool folder that cannot be made (under a file) is named, with the reason for it. */
  @Test
  void anUnusableSpoolFolderIsNamed() throws Exception {
    Path file = Files.createTempFile("rolegate-not-a-folder", "");
    try {
      Map<String, String> env = on(database());
      env.put("MICRONAUT_SERVER_PORT", Integer.toString(freePort()));
      env.put("ROLEGATE_AUDIT_SPOOL_DIR", file.resolve("spool").toString());
      String reason = refused(Jar.run(env));
      assertTrue(
          reason.contains("cannot open the audit spool under " + file.resolve("spool") + ": "),
          reason);
      assertTrue(reason.contains("Exception: " + file), reason);
    } finally {
      Files.delete(file);
    }
  }

  /**
   * With {@code ROLEGATE_LOG_FORMAT=json} a node logs one JSON object per line, from its start to
   * its shutdown, each message as it reads.
   */
  @Test
  void logsAreOneJsonObjectPerLineWhenAsked() throws Exception {
    Map<String, String> env = on(database());
    env.put("MICRONAUT_SERVER_PORT", Integer.toString(freePort()));
    env.put("ROLEGATE_LOG_FORMAT", "json");
    env.put("ROLEGATE_BOOTSTRAP_TOKEN", "serve-it-bootstrap-token-0123456789"); // else it warns
    String logged;
    try (Jar.Running node = Jar.start(env)) {
      assertTrue(node.awaitOutput("Startup completed").contains("Startup completed"));
      logged = node.stop();
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logged.split("\n")) {
      if (!line.isBlank() && !line.startsWith("WARNING: ")) { // the JVM's own, not a log line
        lines.add(json.readTree(line));
      }
    }
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.path("formattedMessage").asText().startsWith("following store changes")),
        logged);
    for (JsonNode l : lines) {
      assertTrue(l.path("level").isTextual() && l.path("timestamp").isNumber(), l::toString);
      // A start and a graceful stop with the database up are nothing to warn an operator about.
      assertTrue(l.path("level").asText().matches("INFO|DEBUG|TRACE"), l::toString);
    }
  }

  @Test
  void anUnknownLogFormatIsRefused() throws Exception {
    CommandOutput r = Jar.run(Map.of("ROLEGATE_LOG_FORMAT", "xml"));
    assertEquals(1, r.code());
    assertEquals(
        "rolegate: cannot start: ROLEGATE_LOG_FORMAT must be text or json, not `xml`\n", r.err());
  }

  private static TestDatabase.Database database;

  /** One database for the tests that need one: none of them gets far enough to write to it. */
  static synchronized TestDatabase.Database database() {
    if (database == null) {
      database = TestDatabase.create();
    }
    return database;
  }
}
