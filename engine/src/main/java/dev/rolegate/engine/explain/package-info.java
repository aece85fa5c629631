/**
 * Human explanations of decisions: one sentence that says who may do what, and what blocks the
 * rest. Built from the reasoning, never from anything the reasoning lacks.
 */
package dev.rolegate.engine.explain;
