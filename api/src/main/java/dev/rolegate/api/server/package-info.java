/**
 * Starting the service: choosing the database (a configured server, or an embedded PostgreSQL under
 * ROLEGATE_HOME), the demo account, and the housekeeping that runs beside the requests.
 */
package dev.rolegate.api.server;
