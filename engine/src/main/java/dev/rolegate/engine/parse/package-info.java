/**
 * Reading and validating IAM JSON policies: the grammar, with every problem reported at its JSON
 * path, and the size, character and naming rules that IAM applies at its door.
 */
package dev.rolegate.engine.parse;
