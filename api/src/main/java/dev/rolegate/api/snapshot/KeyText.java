package dev.rolegate.api.snapshot;

import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;

/**
 * A held entry's key as bytes, for {@link HeldEntries}' table: equal bytes for equal keys, and
 * different bytes for different keys, whatever their text. Each part is written with its length
 * first (or a mark for none), and each character as one byte below 128, else as three, so no two
 * keys can run together. Built at every lookup, so written straight into an array of the right
 * size.
 */
final class KeyText {
  private KeyText() {}

  static byte[] of(PrincipalRef ref) {
    byte[] out = new byte[1 + size(ref.accountId()) + size(ref.path()) + size(ref.name())];
    out[0] = (byte) (ref.isUser() ? 'u' : 'r');
    int at = part(out, 1, ref.accountId());
    at = part(out, at, ref.path());
    part(out, at, ref.name());
    return out;
  }

  static byte[] of(RoleRef ref) {
    byte[] out = new byte[size(ref.accountId()) + size(ref.path()) + size(ref.name())];
    int at = part(out, 0, ref.accountId());
    at = part(out, at, ref.path());
    part(out, at, ref.name());
    return out;
  }

  private static int size(String s) {
    if (s == null) {
      return 1;
    }
    int n = 4;
    for (int i = 0; i < s.length(); i++) {
      n += s.charAt(i) < 0x80 ? 1 : 3;
    }
    return n;
  }

  /** Writes the part at {@code at}; answers where the next one goes. */
  private static int part(byte[] out, int at, String s) {
    if (s == null) {
      out[at] = (byte) 0xFF; // never the first byte of a length, below
      return at + 1;
    }
    int n = s.length();
    out[at++] = (byte) (n >>> 24 & 0x7F);
    out[at++] = (byte) (n >>> 16);
    out[at++] = (byte) (n >>> 8);
    out[at++] = (byte) n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[at++] = (byte) c;
      } else {
        out[at++] = (byte) (0xE0 | c >>> 12);
        out[at++] = (byte) (0x80 | (c >>> 6 & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return at;
  }
}
