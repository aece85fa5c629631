/**
 * What is being asked: the principal (an IAM user or a role session), the action, the resource, and
 * the request context with the keys AWS derives from the principal.
 */
package dev.rolegate.engine.request;
