package dev.rolegate.engine.eval;

/**
 * What one layer said about a check: {@code allowed} (an Allow matched and no Deny), {@code
 * explicitDeny}, or {@code implicitDeny} (no Allow matched). SCP levels are reported one by one.
 */
public record LayerResult(Layer layer, int level, Decision decision) {}
