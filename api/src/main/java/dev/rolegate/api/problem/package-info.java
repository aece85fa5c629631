/**
 * The API's one error vocabulary: codes with their HTTP status, the problem+json body, strict JSON
 * reading of request bodies with JSON paths, and the handlers that turn every failure into a
 * problem.
 */
package dev.rolegate.api.problem;
