package dev.rolegate.engine.eval;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of a set whose action matches one action, in policy order, with a slot per
 * distinct resource matcher and per distinct condition group among them. A check keeps the answer
 * of each slot, so statements that share resources or conditions cost one lookup after the first.
 * Slots are numbered per action, so a check's memo is as small as the matching statements.
 */
final class Candidates {
  static final Candidates NONE = new Candidates(new CompiledStatement[0]);

  final CompiledStatement[] statements;

  /**
   * Per statement: its resource matcher, side by side, so that a check that finds the resource does
   * not match reads no statement: in a large store they are rarely in the CPU's cache.
   */
  final ResourceMatcher[] resources;

  /** Per statement: the slot of its resource matcher. */
  final int[] resourceSlot;

  /** Per statement: the slot of its condition group, or -1 when it has no conditions. */
  final int[] conditionSlot;

  final int resourceSlots;
  final int conditionSlots;

  /**
   * The candidates of several sets of one layer, in order: what one set holding all their
   * statements would give. Slots are numbered over all of them, so a resource matcher or condition
   * group that several sets share (a store shares them across its policies) is decided once.
   */
  static Candidates concat(List<Candidates> parts) {
    int n = 0;
    for (Candidates c : parts) {
      n += c.statements.length;
    }
    if (n == 0) {
      return NONE;
    }
    CompiledStatement[] all = new CompiledStatement[n];
    int at = 0;
    for (Candidates c : parts) {
      System.arraycopy(c.statements, 0, all, at, c.statements.length);
      at += c.statements.length;
    }
    return new Candidates(all);
  }

  Candidates(CompiledStatement[] statements) {
    this.statements = statements;
    this.resources = new ResourceMatcher[statements.length];
    this.resourceSlot = new int[statements.length];
    this.conditionSlot = new int[statements.length];
    Map<Object, Integer> resources = new IdentityHashMap<>();
    Map<Object, Integer> conditions = new IdentityHashMap<>();
    for (int i = 0; i < statements.length; i++) {
      CompiledStatement s = statements[i];
      this.resources[i] = s.resources;
      resourceSlot[i] = resources.computeIfAbsent(s.resources, k -> resources.size());
      conditionSlot[i] =
          s.conditions.isEmpty()
              ? -1
              : conditions.computeIfAbsent(s.conditions, k -> conditions.size());
    }
    this.resourceSlots = resources.size();
    this.conditionSlots = conditions.size();
  }
}
