package dev.rolegate.engine.eval;

import dev.rolegate.engine.match.ResourceMatcher;
import dev.rolegate.engine.policy.Effect;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of a set whose action matches one action, in policy order, with a slot per
 * distinct resource matcher and per distinct condition group among them. A check keeps the answer
 * of each slot, so statements that share resources or conditions cost one lookup after the first.
 * Slots are numbered per action, so a check's memo is as small as the matching statements.
 *
 * <p>All a check needs of a statement is held here, in two arrays, the references in one and the
 * numbers in the other, so that a check never reads the compiled statement itself: in a large store
 * a principal's candidates and statements are rarely in the CPU's cache when it is asked about, and
 * each further object is one more trip to memory.
 */
final class Candidates {
  static final Candidates NONE = new Candidates(new CompiledStatement[0]);

  /**
   * Per statement i, at 3i, 3i + 1 and 3i + 2: its resource matcher (in the {@link
   * ResourceMatcher#form} a check reads fastest), conditions and reference.
   */
  private final Object[] entries;

  /**
   * Per statement i, at 3i, 3i + 1 and 3i + 2: the slot of its resource matcher, that of its
   * conditions (-1 when it has none), and 1 when it denies, 0 when it allows.
   */
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
    Object[] entries = new Object[3 * n];
    int[] slots = new int[3 * n];
    int at = 0;
    for (Candidates c : parts) {
      System.arraycopy(c.entries, 0, entries, at, c.entries.length);
      System.arraycopy(c.slots, 0, slots, at, c.slots.length);
      at += c.entries.length;
    }
    return new Candidates(entries, slots);
  }

  Candidates(CompiledStatement[] statements) {
    this(entries(statements), effects(statements));
  }

  private static Object[] entries(CompiledStatement[] statements) {
    Object[] out = new Object[3 * statements.length];
    for (int i = 0; i < statements.length; i++) {
      out[3 * i] = statements[i].resources.form();
      out[3 * i + 1] = statements[i].conditions;
      out[3 * i + 2] = statements[i].reference;
    }
    return out;
  }

  /** Slots with only the effects filled in; the constructor numbers the rest. */
  private static int[] effects(CompiledStatement[] statements) {
    int[] out = new int[3 * statements.length];
    for (int i = 0; i < statements.length; i++) {
      out[3 * i + 2] = statements[i].effect == Effect.DENY ? 1 : 0;
    }
    return out;
  }

  /** Numbers the distinct matchers and condition groups of the entries into {@code slots}. */
  private Candidates(Object[] entries, int[] slots) {
    this.entries = entries;
    this.slots = slots;
    Map<Object, Integer> resources = new IdentityHashMap<>();
    Map<Object, Integer> conditions = new IdentityHashMap<>();
    for (int i = 0; i < entries.length; i += 3) {
      slots[i] = resources.computeIfAbsent(entries[i], k -> resources.size());
      ConditionGroup group = (ConditionGroup) entries[i + 1];
      slots[i + 1] =
          group.isEmpty() ? -1 : conditions.computeIfAbsent(group, k -> conditions.size());
    }
    this.resourceSlots = resources.size();
    this.conditionSlots = conditions.size();
  }

  int size() {
    return slots.length / 3;
  }

  /** Statement i's resource matcher, in a {@link ResourceMatcher#form}. */
  Object resources(int i) {
    return entries[3 * i];
  }

  ConditionGroup conditions(int i) {
    return (ConditionGroup) entries[3 * i + 1];
  }

  MatchedStatement reference(int i) {
    return (MatchedStatement) entries[3 * i + 2];
  }

  /** The slot of statement i's resource matcher. */
  int resourceSlot(int i) {
    return slots[3 * i];
  }

  /** The slot of statement i's condition group, or -1 when it has no conditions. */
  int conditionSlot(int i) {
    return slots[3 * i + 1];
  }

  boolean denies(int i) {
    return slots[3 * i + 2] == 1;
  }
}
