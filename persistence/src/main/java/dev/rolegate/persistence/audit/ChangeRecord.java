package dev.rolegate.persistence.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of the change log: who changed which entity at which revision, from what ({@code
 * before}, null when created) to what ({@code after}, null when deleted).
 */
public record ChangeRecord(
    long id,
    long revision,
    Instant changedAt,
    String actor,
    String accountId,
    String entityKind,
    String entityArn,
    String change,
    JsonNode before,
    JsonNode after) {}
