package dev.rolegate.engine.eval;

import dev.rolegate.engine.match.ResourceMatcher;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of a set whose action matches one action, in policy order, with a slot per
 * distinct resource matcher and per distinct condition group among them. A check keeps the answer
 * of each slot, so statements that share resources or conditions cost one lookup after the first.
 * Slots are numbered per action, so a check's memo is as small as the matching statements.
 *
 * <p>All of it is held in two arrays, the references in one and the numbers in the other: in a
 * large store a principal's candidates are rarely in the CPU's cache when it is asked about, and
 * each further object would be one more trip to memory before the check can start.
 */
final class Candidates {
  static final Candidates NONE = new Candidates(new CompiledStatement[0]);

  /**
   * Per statement i: at 2i its resource matcher, at 2i + 1 the statement. The matchers are read
   * first, so that a statement is read only if its resources match.
   */
  private final Object[] entries;

  /** Per statement i: at 2i the slot of its resource matcher, at 2i + 1 that of its conditions. */
  private final int[] slots;

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
      n += c.size();
    }
    if (n == 0) {
      return NONE;
    }
    CompiledStatement[] all = new CompiledStatement[n];
    int at = 0;
    for (Candidates c : parts) {
      for (int i = 0; i < c.size(); i++) {
        all[at++] = c.statement(i);
      }
    }
    return new Candidates(all);
  }

  Candidates(CompiledStatement[] statements) {
    this.entries = new Object[2 * statements.length];
    this.slots = new int[2 * statements.length];
    Map<Object, Integer> resources = new IdentityHashMap<>();
    Map<Object, Integer> conditions = new IdentityHashMap<>();
    for (int i = 0; i < statements.length; i++) {
      CompiledStatement s = statements[i];
      entries[2 * i] = s.resources;
      entries[2 * i + 1] = s;
      slots[2 * i] = resources.computeIfAbsent(s.resources, k -> resources.size());
      slots[2 * i + 1] =
          s.conditions.isEmpty()
              ? -1
              : conditions.computeIfAbsent(s.conditions, k -> conditions.size());
    }
    this.resourceSlots = resources.size();
    this.conditionSlots = conditions.size();
  }

  int size() {
    return slots.length / 2;
  }

  ResourceMatcher resources(int i) {
    return (ResourceMatcher) entries[2 * i];
  }

  CompiledStatement statement(int i) {
    return (CompiledStatement) entries[2 * i + 1];
  }

  /** The slot of statement i's resource matcher. */
  int resourceSlot(int i) {
    return slots[2 * i];
  }

  /** The slot of statement i's condition group, or -1 when it has no conditions. */
  int conditionSlot(int i) {
    return slots[2 * i + 1];
  }
}
