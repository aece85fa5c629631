package dev.rolegate.engine.remedy;

import dev.rolegate.engine.eval.MatchedStatement;

/** A Deny statement that blocks the request: only changing it (not adding an Allow) helps. */
public record RequiredChange(
    MatchedStatement statement, String action, String resource, String reason) {}
