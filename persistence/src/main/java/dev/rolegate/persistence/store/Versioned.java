package dev.rolegate.persistence.store;

/**
 * An entity as read, with the revision of its last write: the value of its ETag, which an update
 * names in If-Match.
 */
public record Versioned<T>(T value, long revision) {}
