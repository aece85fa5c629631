package dev.rolegate.engine.cases;

/**
 * Why a case cannot be evaluated: a stable code ({@code case_invalid}, {@code policy_invalid},
 * {@code principal_invalid}), a message for a person, and the JSON path inside the case.
 */
public record CaseError(String code, String message, String path) {}
