package dev.rolegate.persistence.store;

/** Why the store refused a read or a write; the API maps each to an HTTP status. */
public enum StoreError {
  /** The entity, account or version does not exist. */
  NOT_FOUND,
  /** An entity of that name exists already (names are compared case-insensitively). */
  ALREADY_EXISTS,
  /** The entity changed since the revision the caller's If-Match names. */
  PRECONDITION_FAILED,
  /** The entity is still in use: an attached policy, a role in an instance profile, ... */
  DELETE_CONFLICT,
  /** An IAM quota would be exceeded: versions per policy, attachments, groups per user. */
  LIMIT_EXCEEDED,
  /** The write names something that does not exist: a group, a policy ARN, a role. */
  UNKNOWN_REFERENCE
}
