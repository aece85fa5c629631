package dev.rolegate.api.snapshot;

/**
 * Something the store could not supply for a decision, reported beside the engine's findings:
 * {@code principal_unknown}, {@code role_unknown}, {@code policy_unknown}, {@code policy_invalid}.
 */
public record StoreFinding(String code, String message) {}
