/**
 * Decisions over HTTP: the request body, the service that resolves the principal from the store,
 * asks the engine and records the answer, the native and OPA-compatible endpoints, and the audit
 * history.
 */
package dev.rolegate.api.decision;
