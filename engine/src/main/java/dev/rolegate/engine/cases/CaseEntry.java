package dev.rolegate.engine.cases;

/**
 * A case as read: a single check or a whole instance-profile operation, ready to decide, or invalid
 * with the reason.
 */
public sealed interface CaseEntry {
  /** The case's id, or {@code cases[i]} when it has none. */
  String id();

  record Valid(EvaluationCase evaluationCase) implements CaseEntry {
    @Override
    public String id() {
      return evaluationCase.id();
    }
  }

  record ValidOperation(OperationCase operationCase) implements CaseEntry {
    @Override
    public String id() {
      return operationCase.id();
    }
  }

  record Invalid(String id, CaseError error) implements CaseEntry {}
}
