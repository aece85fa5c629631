package dev.rolegate.persistence.store;

import java.util.Optional;

/**
 * What a decision reads from the store, all at one revision: the principal (empty when the store
 * does not know it) and the role to pass (empty when unknown or not asked for).
 */
public record DecisionInputs(
    long revision, Optional<PrincipalState> principal, Optional<RoleState> role) {}
