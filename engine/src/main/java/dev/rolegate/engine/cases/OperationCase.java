package dev.rolegate.engine.cases;

import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import java.util.Optional;

/**
 * A case about a whole instance-profile call rather than one check: its request names an {@code
 * operation}, an {@code instanceArn} and a {@code roleArn}, and may describe the {@code role}.
 */
public record OperationCase(
    String id,
    Optional<String> note,
    Optional<Decision> expected,
    InstanceProfileRequest request,
    PrincipalPolicies policies) {}
