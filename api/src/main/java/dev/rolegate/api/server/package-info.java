/**
 * Running the service: choosing the database (a configured server, or an embedded PostgreSQL under
 * ROLEGATE_HOME), the demo account, checking settings and telling why a start failed, the health
 * probes, status and metrics, and the housekeeping that runs beside the requests.
 */
package dev.rolegate.api.server;
