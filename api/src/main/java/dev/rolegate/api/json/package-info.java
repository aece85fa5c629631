/**
 * The wire form of decisions (design.md, "Decision answer"): the field names clients rely on.
 * Shared by the eval command and, later, the HTTP API.
 */
package dev.rolegate.api.json;
