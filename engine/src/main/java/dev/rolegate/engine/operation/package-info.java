/**
 * The instance-profile operations (associate, replace, disassociate): which checks each needs, the
 * findings about the role beside the caller's permission, and the combined decision with its
 * explanation and remedy.
 */
package dev.rolegate.engine.operation;
