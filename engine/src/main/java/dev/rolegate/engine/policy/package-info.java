/**
 * The parsed form of an IAM JSON policy: documents, statements, their action, resource and
 * principal clauses and conditions. Values only: matching lives in {@code match}, evaluation in
 * {@code eval}.
 */
package dev.rolegate.engine.policy;
