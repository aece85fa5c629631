/**
 * Matching of policy text against request values: globs with {@code *} and {@code ?}, policy
 * variables and their escapes, actions (case-insensitive) and ARNs (six parts, case-sensitive).
 * Patterns are compiled once; matching allocates nothing unless a variable must be substituted.
 */
package dev.rolegate.engine.match;
