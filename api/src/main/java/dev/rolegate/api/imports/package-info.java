/**
 * Imports of IAM state from AWS output, such as {@code aws iam get-account-authorization-details},
 * into an account's state. Reading only: every problem is collected with its JSON path; nothing
 * here stores, evaluates or talks HTTP.
 */
package dev.rolegate.api.imports;
