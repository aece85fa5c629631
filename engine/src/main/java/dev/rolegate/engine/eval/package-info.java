/**
 * The AWS IAM evaluation logic: policies compiled and indexed by action, the layers (identity,
 * permissions boundary, SCP levels, session policy), and the decision of one check with its
 * reasoning. Pure: every input is passed in.
 */
package dev.rolegate.engine.eval;
