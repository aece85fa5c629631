package dev.rolegate.engine.remedy;

import dev.rolegate.engine.eval.Layer;

/**
 * An Allow statement to add, and where: the identity policies, the permissions boundary, one SCP
 * level (root first, 0-based) or the session policy.
 */
public record Grant(Layer layer, int level, RemedyStatement statement) {}
