/**
 * What would have to change for a denied request to be allowed: the least-privilege Allow
 * statements and the layer each must go in, or, for an explicit deny, the statement that must
 * change (no Allow can override a Deny).
 */
package dev.rolegate.engine.remedy;
