package dev.rolegate.persistence.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One decision as the log keeps it. {@code decisionId} is a UUIDv7 whose timestamp is {@code
 * decidedAt} (to the millisecond), which lets a lookup by id find its partition. {@code request}
 * and {@code answer} are JSON text: the answer is serialised once, for the caller and the log.
 * {@code node} names the node that answered; null for decisions logged before nodes were named.
 */
public record DecisionRecord(
    UUID decisionId,
    Instant decidedAt,
    String caller,
    String principal,
    String operation,
    String instanceArn,
    String roleArn,
    String decision,
    boolean allowed,
    long revision,
    String request,
    String answer,
    String node) {
  public DecisionRecord {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(instanceArn, "instanceArn");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(answer, "answer");
  }
}
