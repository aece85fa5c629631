/**
 * The evaluation case format ({@code conformance/FORMAT.md}): reading cases from a JSON tree into
 * requests and policies, with every problem named by case and JSON path, and deciding them. Shared
 * by the engine's conformance tests and the {@code eval} command. Reads no files itself.
 */
package dev.rolegate.engine.cases;
