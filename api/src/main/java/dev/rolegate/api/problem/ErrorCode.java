package dev.rolegate.api.problem;

import io.micronaut.http.HttpStatus;

/** Every error the API answers with: a stable snake_case code and its HTTP status. */
public enum ErrorCode {
  MALFORMED_JSON(HttpStatus.BAD_REQUEST),
  INVALID_REQUEST(HttpStatus.BAD_REQUEST),
  UNKNOWN_FIELD(HttpStatus.BAD_REQUEST),
  INVALID_POLICY(HttpStatus.BAD_REQUEST),
  INVALID_PARAMETER(HttpStatus.BAD_REQUEST),
  UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
  FORBIDDEN(HttpStatus.FORBIDDEN),
  NOT_FOUND(HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
  ALREADY_EXISTS(HttpStatus.CONFLICT),
  DELETE_CONFLICT(HttpStatus.CONFLICT),
  PRECONDITION_FAILED(HttpStatus.PRECONDITION_FAILED),
  PAYLOAD_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE),
  URI_TOO_LONG(HttpStatus.REQUEST_URI_TOO_LONG),
  HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  LIMIT_EXCEEDED(HttpStatus.CONFLICT),
  UNKNOWN_REFERENCE(HttpStatus.UNPROCESSABLE_ENTITY),
  DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
  REVISION_NOT_REACHED(HttpStatus.SERVICE_UNAVAILABLE),
  AUDIT_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
  INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

  private final HttpStatus status;

  ErrorCode(HttpStatus status) {
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }

  /** The code as clients see it, e.g. {@code malformed_json}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
