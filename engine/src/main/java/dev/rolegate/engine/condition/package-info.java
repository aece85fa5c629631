/**
 * Condition operators: typed condition values (numbers, dates, IP ranges) and the evaluation of one
 * condition against a request's context, with the detail of why it failed. No I/O: IP addresses are
 * parsed here, never resolved.
 */
package dev.rolegate.engine.condition;
