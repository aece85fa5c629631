package dev.rolegate.api.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The entries of one kind (principals or roles) a node holds of one account, by key. A map holds
 * them all; the keys an account was loaded with, nearly all of a loaded account's entries, are also
 * in a flat table that a decision's lookup reads instead.
 *
 * <p>Why: a decision looks its principal and role up by keys it builds from the request, so a map
 * compares them with the keys it holds, and in a large account those are rarely in the CPU's cache.
 * A map's lookup is then a chain of trips to memory, each waiting for the one before: its slot, its
 * node, the held key, its name, the name's bytes; only then the value, and the decision's own
 * trips. In the table a slot holds the key's text (as bytes) and the value side by side: after the
 * slot, the text and the value are fetched together, and the key is checked while the decision goes
 * on with the value.
 *
 * <p>Every change goes through the map, and a key that is in the table has its slot set inside the
 * map's atomic update of that key, so the table and the map never disagree once an update is done.
 * The table's keys are fixed when it is built; a key added later lives in the map only.
 */
final class HeldEntries<K, V> {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

  private final ConcurrentHashMap<K, V> map;
  private final Function<K, byte[]> text;

  /** Slots - 1: the table has a power of two of them, at most half in use. */
  private final int mask;

  /** Per slot, the hash of its key's text (0 when the slot is empty: hashes are made odd). */
  private final int[] hashes;

  /** Per slot i: at 2i the key's text, at 2i + 1 its value (null while the key is not held). */
  private final Object[] slots;

  /** Empty, with no table: what a node holds of an account it has not loaded. */
  HeldEntries(Function<K, byte[]> text) {
    this.map = new ConcurrentHashMap<>();
    this.text = text;
    this.mask = -1;
    this.hashes = new int[0];
    this.slots = new Object[0];
  }

  /** The entries of a load, each key also in the table. */
  HeldEntries(Map<K, V> loaded, Function<K, byte[]> text) {
    this.map = new ConcurrentHashMap<>(loaded);
    this.text = text;
    int size = Integer.highestOneBit(Math.max(1, loaded.size()) * 2 - 1) << 1;
    this.mask = size - 1;
    this.hashes = new int[size];
    this.slots = new Object[2 * size];
    loaded.forEach(
        (k, v) -> {
          byte[] t = text.apply(k);
          int h = hash(t);
          int i = h & mask;
          while (hashes[i] != 0) {
            i = (i + 1) & mask;
          }
          hashes[i] = h;
          slots[2 * i] = t;
          slots[2 * i + 1] = v;
        });
  }

  /** The value held for the key, or null. */
  V get(K key) {
    if (mask < 0) {
      return map.get(key);
    }
    byte[] t = text.apply(key);
    return lookUp(key, t, hash(t));
  }

  /** Two values looked up together: see {@link #getWith}. */
  record Both<A, B>(A first, B second) {}

  /**
   * The values held for a key of this table and a key of another, as {@link #get} answers each.
   *
   * <p>Why together: a decision needs its principal and its role, and in a large account each
   * lookup is a few trips to memory. One after the other, the second lookup's trips begin only once
   * the first's are over, since building and hashing its key takes more steps than the CPU can run
   * ahead. Here both keys are built and hashed first, and both tables' first slots are read before
   * either key is compared, so that the two lookups wait for memory at the same time.
   */
  <K2, V2> Both<V, V2> getWith(K key, HeldEntries<K2, V2> other, K2 otherKey) {
    if (mask < 0 || other.mask < 0) {
      return new Both<>(get(key), other.get(otherKey));
    }
    byte[] t = text.apply(key);
    byte[] u = other.text.apply(otherKey);
    int h = hash(t);
    int g = hash(u);
    int i = h & mask;
    int j = g & other.mask;
    int atI = hashes[i];
    int atJ = other.hashes[j];
    Object textI = slots[2 * i];
    Object textJ = other.slots[2 * j];
    Object valueI = SLOTS.getAcquire(slots, 2 * i + 1);
    Object valueJ = SLOTS.getAcquire(other.slots, 2 * j + 1);
    @SuppressWarnings("unchecked")
    V first = atI == h && Arrays.equals((byte[]) textI, t) ? (V) valueI : lookUp(key, t, h);
    @SuppressWarnings("unchecked")
    V2 second =
        atJ == g && Arrays.equals((byte[]) textJ, u) ? (V2) valueJ : other.lookUp(otherKey, u, g);
    return new Both<>(first, second);
  }

  /** The value held for the key, whose text and hash are given. */
  private V lookUp(K key, byte[] t, int h) {
    int i = find(t, h);
    if (i < 0) {
      return map.get(key);
    }
    @SuppressWarnings("unchecked")
    V v = (V) SLOTS.getAcquire(slots, 2 * i + 1);
    return v;
  }

  void put(K key, V value) {
    map.compute(key, (k, old) -> changed(k, value));
  }

  /** Removes the key's value if it is this one (by {@code equals}). */
  void remove(K key, V value) {
    computeIfPresent(key, (k, old) -> Objects.equals(old, value) ? null : old);
  }

  /** Replaces the key's value, if any, by what the function answers (null removes it). */
  void computeIfPresent(K key, BiFunction<K, V, V> change) {
    map.computeIfPresent(
        key,
        (k, old) -> {
          V value = change.apply(k, old);
          return value == old ? old : changed(k, value);
        });
  }

  /** Replaces every value by what the function answers for it (null removes it). */
  void replaceAll(BiFunction<K, V, V> change) {
    for (K key : map.keySet()) {
      computeIfPresent(key, change);
    }
  }

  /**
   * Removes every entry the predicate accepts. It is asked once more, inside the update, for the
   * entries it accepted: a value put meanwhile is judged again rather than removed unseen.
   */
  void removeIf(BiPredicate<K, V> drop) {
    for (Map.Entry<K, V> e : map.entrySet()) {
      if (drop.test(e.getKey(), e.getValue())) {
        computeIfPresent(e.getKey(), (k, v) -> drop.test(k, v) ? null : v);
      }
    }
  }

  int size() {
    return map.size();
  }

  /**
   * Sets the key's slot, if it has one, to the map's new value; called inside the map's update of
   * the key, and only when the value changes (finding the slot costs building the key's text).
   */
  private V changed(K key, V value) {
    if (mask >= 0) {
      byte[] t = text.apply(key);
      int i = find(t, hash(t));
      if (i >= 0) {
        SLOTS.setRelease(slots, 2 * i + 1, value);
      }
    }
    return value;
  }

  /** The key's slot, or -1 when the table does not have it. */
  private int find(byte[] t, int h) {
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int at = hashes[i];
      if (at == 0) {
        return -1;
      }
      if (at == h && Arrays.equals((byte[]) slots[2 * i], t)) {
        return i;
      }
    }
  }

  /** A hash of a key's text, spread over all bits (linear probing needs the low ones), and odd. */
  private static int hash(byte[] t) {
    int h = Arrays.hashCode(t);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h | 1;
  }
}
