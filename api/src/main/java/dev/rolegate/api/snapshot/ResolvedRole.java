package dev.rolegate.api.snapshot;

import dev.rolegate.engine.operation.RoleFacts;
import java.util.Optional;

/** The role to pass as the engine needs it (empty when not stored), and the revision read at. */
public record ResolvedRole(Optional<RoleFacts> facts, long revision) {}
