package dev.rolegate.engine.cases;

import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.request.AuthorizationRequest;
import java.util.Optional;

/** One valid case: the request, the policies that govern its principal, and what is expected. */
public record EvaluationCase(
    String id,
    Optional<String> note,
    Optional<Decision> expected,
    AuthorizationRequest request,
    PrincipalPolicies policies) {}
