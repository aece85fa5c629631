package dev.rolegate.api.server;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.convert.ConversionService;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks, when a node starts, the settings the README documents that Micronaut and its pool read
 * themselves, as {@link Settings} checks rolegate's own. Micronaut takes any text but {@code true}
 * for false, takes a request limit of 0 (every body then refused), and reads the shutdown's grace
 * period only when the node stops (a period it cannot read then cuts off the answers in flight);
 * and a pool of one connection cannot start, since the change follower keeps one for listening, but
 * the pool's timeout says only that PostgreSQL gave no connection. Each is refused here instead,
 * naming its variable and the value given.
 *
 * <p>The pool's size is checked as its configuration is made ({@link PoolSize}), before any
 * connection is taken.
 */
@Context
public class MicronautSettings {
  public MicronautSettings(Environment environment, ConversionService conversion) {
    flag(environment, "micronaut.metrics.enabled");
    flag(environment, "micronaut.metrics.binders.web.enabled");
    bytes(environment, "micronaut.server.max-request-size");
    bytes(environment, "micronaut.server.max-request-buffer-size");
    String grace = "micronaut.lifecycle.graceful-shutdown.grace-period";
    value(environment, grace)
        .ifPresent(
            v -> {
              if (conversion.convert(v, Duration.class).filter(d -> !d.isNegative()).isEmpty()) {
                throw new IllegalArgumentException(
                    variable(grace) + " must be a duration (20s, 500ms, 1m), not `" + v + "`");
              }
            });
  }

  /** A pool of fewer than two connections refused, before the pool is made. */
  @Singleton
  static class PoolSize implements BeanCreatedEventListener<DatasourceConfiguration> {
    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
      int size = event.getBean().getMaximumPoolSize();
      if (size < 2) {
        throw new IllegalArgumentException(
            "DATASOURCES_DEFAULT_MAXIMUM_POOL_SIZE must be 2 or more connections (one listens for"
                + " the other nodes' writes), not "
                + size);
      }
      return event.getBean();
    }
  }

  /** The environment variable that sets a property, as an operator writes it. */
  static String variable(String property) {
    return property.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_");
  }

  private static Optional<String> value(Environment environment, String property) {
    return environment.getProperty(property, String.class).map(String::strip);
  }

  private static void flag(Environment environment, String property) {
    value(environment, property).ifPresent(v -> Settings.flag(variable(property), v));
  }

  /** A size in bytes, 1 or more: digits, or digits with KB, MB or GB as Micronaut reads them. */
  private static void bytes(Environment environment, String property) {
    value(environment, property)
        .ifPresent(
            v -> {
              String digits = v.replaceFirst("(?i)(KB|MB|GB)$", "");
              if (!digits.matches("[0-9]{1,12}") || Long.parseLong(digits) < 1) {
                throw new IllegalArgumentException(
                    variable(property)
                        + " must be a size of 1 byte or more (33554432, 32MB), not `"
                        + v
                        + "`");
              }
            });
  }
}
