package dev.rolegate.api;

import com.zaxxer.hikari.HikariDataSource;
import dev.rolegate.api.cli.EvalCommand;
import dev.rolegate.api.cli.HealthCommand;
import dev.rolegate.api.server.Demo;
import dev.rolegate.api.server.EmbeddedDatabase;
import dev.rolegate.api.server.StartupFailure;
import dev.rolegate.api.server.Tls;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/** {@code java -jar rolegate.jar [COMMAND] ...}: the entry point of the jar. */
public final class Rolegate {
  static final String USAGE =
      """
      usage: java -jar rolegate.jar [serve] [--demo]
             java -jar rolegate.jar eval CASES.json [--check]
             java -jar rolegate.jar health [readiness|liveness|all|URL]

        serve   (the default) run the HTTP service on port 8181 (MICRONAUT_SERVER_PORT); with no
                DATASOURCES_DEFAULT_URL it starts an embedded PostgreSQL with its data in
                ~/.rolegate (ROLEGATE_HOME); --demo loads the sample account 111122223333
        eval    evaluate the cases of a case file (conformance/FORMAT.md) offline and print one
                JSON line per case; --check compares each decision with the case's `expected`
                and exits 1 on any mismatch
        health  ask the node on this machine (port MICRONAUT_SERVER_PORT, 8181) whether it is ready
                (or alive, or both and following changes; or any URL): exit 0 when it answers
                200, else 1; for container health checks where the image has no HTTP client
      """;

  private Rolegate() {}

  public static void main(String[] args) {
    // Before anything logs: logback reads its configuration once, at the first logger.
    String logFormat = System.getenv().getOrDefault("ROLEGATE_LOG_FORMAT", "text").strip();
    switch (logFormat) {
      case "text" -> {}
      case "json" -> {
        if (System.getProperty("logback.configurationFile") == null) {
          System.setProperty("logback.configurationFile", "logback-json.xml");
        }
      }
      default -> {
        // A node that cannot start exits 1, whatever setting stops it.
        System.err.println(
            "rolegate: cannot start: ROLEGATE_LOG_FORMAT must be text or json, not `"
                + logFormat
                + "`");
        System.exit(1);
      }
    }
    if (args.length > 0 && (args[0].equals("eval") || args[0].equals("health"))) {
      System.exit(run(args, System.out, System.err));
    }
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(USAGE);
      return;
    }
    boolean demo = false;
    for (String a :
        args.length > 0 && args[0].equals("serve")
            ? Arrays.copyOfRange(args, 1, args.length)
            : args) {
      if (a.equals("--demo")) {
        demo = true;
      } else {
        System.err.println("rolegate: unknown argument `" + a + "`");
        System.err.print(USAGE);
        System.exit(2);
      }
    }
    serve(demo);
  }

  private static void serve(boolean demo) {
    // Checked first: a node that cannot start should not start its embedded database first.
    Map<String, Object> tls = Map.of();
    try {
      tls = Tls.properties(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("rolegate: cannot start: " + e.getMessage());
      System.exit(1);
    }
    // The node's connection pool: the embedded database stops only once it is closed, the last
    // step of the node's stop.
    AtomicReference<HikariDataSource> pool = new AtomicReference<>();
    try {
      if (!EmbeddedDatabase.isConfigured()) {
        EmbeddedDatabase.start(() -> pool.get() == null || pool.get().isClosed());
      }
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "rolegate: cannot start the embedded PostgreSQL ("
              + e.getMessage()
              + "); set DATASOURCES_DEFAULT_URL to use a PostgreSQL server instead");
      System.exit(1);
    }
    ApplicationContext context =
        new Server().mainClass(Rolegate.class).banner(false).properties(tls).start();
    context
        .findBean(DataSource.class)
        .ifPresent(
            ds -> {
              try {
                pool.set(ds.unwrap(HikariDataSource.class));
              } catch (SQLException e) {
                // Not Hikari's: the database stops as the JVM exits, without waiting.
              }
            });
    if (demo) {
      context.getBean(Demo.class).load();
    }
  }

  /** Micronaut, but a start that fails says why in a few lines, not a stack trace, and exits 1. */
  private static final class Server extends Micronaut {
    @Override
    protected void handleStartupException(Environment environment, Throwable failure) {
      System.err.print(StartupFailure.explain(failure, environment));
      System.exit(1);
    }
  }

  /** Runs a command-line command (not the server) and returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    return switch (args[0]) {
      case "eval" -> EvalCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      case "health" ->
          HealthCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), out, err);
      default -> {
        err.println("rolegate: unknown command `" + args[0] + "`");
        err.print(USAGE);
        yield 2;
      }
    };
  }
}
