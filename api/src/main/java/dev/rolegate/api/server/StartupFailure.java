package dev.rolegate.api.server;

import io.micronaut.context.env.Environment;
import java.net.BindException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Why a node could not start, told in a few lines an operator can act on, instead of Micronaut's
 * stack trace of some sixty lines whose cause is buried in the middle: what failed (PostgreSQL
 * unreachable or refusing the login, the schema's migration, the port taken, a setting refused),
 * the setting to look at, then each cause's message, outermost first, without stack frames.
 */
public final class StartupFailure {
  private StartupFailure() {}

  /** The explanation of {@code failure}; {@code environment} gives the settings it names. */
  public static String explain(Throwable failure, Environment environment) {
    List<Throwable> chain = causes(failure);
    StringBuilder out = new StringBuilder("rolegate: cannot start: ");
    out.append(summary(chain, environment)).append('\n');
    out.append("causes, outermost first:\n");
    for (Throwable t : chain) {
      out.append("  ")
          .append(t.getClass().getSimpleName())
          .append(": ")
          .append(firstLine(t.getMessage()))
          .append('\n');
    }
    return out.toString();
  }

  private static String summary(List<Throwable> chain, Environment environment) {
    int sql = indexOf(chain, SQLException.class::isInstance);
    if (sql >= 0) {
      return "PostgreSQL at "
          + datasource(environment)
          + " did not let the node in: "
          + firstLine(chain.get(sql).getMessage())
          + " (the database's address and login: DATASOURCES_DEFAULT_URL, DATASOURCES_DEFAULT_USERNAME"
          + " and DATASOURCES_DEFAULT_PASSWORD)";
    }
    int bind = indexOf(chain, BindException.class::isInstance);
    if (bind >= 0) {
      // The exception around the BindException names the address; the environment may be closed
      // by now, so its port setting cannot be read back.
      Throwable around = chain.get(Math.max(0, bind - 1));
      return firstLine(around.getMessage())
          + ": "
          + firstLine(chain.get(bind).getMessage())
          + " (choose another port with MICRONAUT_SERVER_PORT)";
    }
    int flyway = indexOf(chain, t -> from(t, "org.flywaydb."));
    if (flyway >= 0) {
      return "the schema migration of PostgreSQL at "
          + datasource(environment)
          + " failed: "
          + firstLine(chain.get(flyway).getMessage());
    }
    // The first message that is not Micronaut's wrapping says what was being done (rolegate's own
    // words); the innermost cause says why, often with only a path (NoSuchFileException).
    Throwable root = chain.get(chain.size() - 1);
    int told = indexOf(chain, t -> !from(t, "io.micronaut."));
    return told < 0 || chain.get(told) == root
        ? firstLine(root.getMessage())
        : firstLine(chain.get(told).getMessage())
            + ": "
            + root.getClass().getSimpleName()
            + ": "
            + firstLine(root.getMessage());
  }

  /** The datasource's URL without its query, which may hold a password. */
  private static String datasource(Environment environment) {
    String url = setting(environment, "datasources.default.url").orElse("?");
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static Optional<String> setting(Environment environment, String name) {
    return environment == null ? Optional.empty() : environment.getProperty(name, String.class);
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  /** Where in the chain the first cause {@code that} matches is; -1 when none does. */
  private static int indexOf(List<Throwable> chain, Predicate<Throwable> that) {
    for (int i = 0; i < chain.size(); i++) {
      if (that.test(chain.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean from(Throwable t, String packagePrefix) {
    return t.getClass().getName().startsWith(packagePrefix);
  }

  /**
   * The line of a message that says what went wrong. Micronaut's injection errors wrap it: their
   * first line names the bean, and the innermost of their {@code Message:} lines the cause (a value
   * that does not convert, say); a setting named there as {@code ${rolegate.x-y:default}} is also
   * given as its environment variable, {@code ROLEGATE_X_Y}.
   */
  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "(no message)";
    }
    String line = null;
    for (String l : message.strip().split("\n")) {
      if (line == null) {
        line = l.strip();
      } else if (l.startsWith("Message: ")) {
        line = l.substring("Message: ".length()).strip();
      }
    }
    int setting = line.indexOf("[${");
    int end = setting < 0 ? -1 : line.indexOf(':', setting);
    if (end > 0 && !line.contains("(the setting ")) {
      line += " (the setting " + MicronautSettings.variable(line.substring(setting + 3, end)) + ")";
    }
    // Micronaut's own settings are named as properties: micronaut.server.port.
    String property = "property value [";
    int at = line.indexOf(property);
    end = at < 0 ? -1 : line.indexOf(']', at);
    if (end > 0 && !line.contains("(the setting ")) {
      line +=
          " (the setting "
              + MicronautSettings.variable(line.substring(at + property.length(), end))
              + ")";
    }
    return line;
  }
}
