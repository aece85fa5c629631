package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.Effect;
import java.util.Optional;

/**
 * A statement that took part in a decision: its policy, the layer it belongs to ({@code level} is
 * the SCP level, root first, and 0 elsewhere), its 0-based index, Sid and effect.
 */
public record MatchedStatement(
    String sourcePolicyId,
    PolicySourceType sourcePolicyType,
    Optional<String> versionId,
    Layer layer,
    int level,
    int statementIndex,
    Optional<String> sid,
    Effect effect) {}
