package dev.rolegate.api.server;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Names each of this node's database sessions after the node ({@code application_name}, e.g. {@code
 * rolegate node-2}), so that an operator of several nodes on one PostgreSQL can tell in {@code
 * pg_stat_activity} which node holds a connection, a lock or a long query. A name given in the JDBC
 * URL ({@code ApplicationName=…}) wins: the driver reads the URL after these properties.
 */
@Singleton
public class DatabaseSessionName implements BeanCreatedEventListener<DatasourceConfiguration> {
  /** The property PostgreSQL's JDBC driver sends as {@code application_name}. */
  static final String PROPERTY = "ApplicationName";

  private final NodeName node;

  public DatabaseSessionName(NodeName node) {
    this.node = node;
  }

  @Override
  public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
    DatasourceConfiguration pool = event.getBean();
    if (!pool.getDataSourceProperties().containsKey(PROPERTY)) {
      // PostgreSQL keeps the first 63 bytes; a node's name is at most 128 characters.
      pool.addDataSourceProperty(PROPERTY, "rolegate " + node.name());
    }
    return pool;
  }
}
