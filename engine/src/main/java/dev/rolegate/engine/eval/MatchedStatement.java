package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.Statement;
import java.util.Optional;

/**
 * A statement that took part in a decision: its policy, the layer it belongs to ({@code level} is
 * the SCP level, root first, and 0 elsewhere), its 0-based index, Sid and effect, and the statement
 * itself ({@code source}). Carrying the statement lets a caller read its conditions without
 * searching the principal's policies for it, which in a large store means reading a dozen sets that
 * are rarely in the CPU's cache.
 */
public record MatchedStatement(
    String sourcePolicyId,
    PolicySourceType sourcePolicyType,
    Optional<String> versionId,
    Layer layer,
    int level,
    int statementIndex,
    Optional<String> sid,
    Effect effect,
    Statement source) {}
