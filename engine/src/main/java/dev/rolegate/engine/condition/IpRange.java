package dev.rolegate.engine.condition;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 CIDR range as used by {@code IpAddress}. An address without a prefix is a single
 * host ({@code /32} or {@code /128}). Parsed by hand so that nothing is ever looked up in DNS.
 */
public record IpRange(byte[] network, int prefixLength) {

  public IpRange {
    network = network.clone();
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  /** Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a bare address. */
  public static Optional<IpRange> parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    Optional<byte[]> bytes = parseAddress(address);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    int max = bytes.get().length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(p);
      if (prefix > max) {
        return Optional.empty();
      }
    }
    return Optional.of(new IpRange(bytes.get(), prefix));
  }

  /** True when the address (no prefix) lies inside this range; false for another IP family. */
  public boolean contains(String address) {
    byte[] bytes = parseOrNull(address.strip());
    return bytes != null && contains(bytes);
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  /** Parses a literal IPv4 or IPv6 address into 4 or 16 bytes. */
  public static Optional<byte[]> parseAddress(String address) {
    return Optional.ofNullable(parseOrNull(address));
  }

  /**
   * As {@link #parseAddress}, null when invalid. Conditions parse the request's address once per
   * value and then test it against every range, so this path allocates only the bytes.
   */
  static byte[] parseOrNull(String address) {
    if (address.indexOf(':') >= 0) {
      return parseIpv6(address).orElse(null);
    }
    return parseIpv4(address);
  }

  /**
   * Four dot-separated groups of one to three ASCII digits, each at most 255; null otherwise. A
   * group's leading zeros are read as decimal ({@code 010} is 10), as the documents IAM keeps were
   * accepted with them: refusing them now would skip such a stored policy. A plain loop: this runs
   * for every IP condition a request meets.
   */
  private static byte[] parseIpv4(String address) {
    byte[] out = new byte[4];
    int group = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == '.') {
        if (digits == 0 || group == 3 || value > 255) {
          return null;
        }
        out[group++] = (byte) value;
        value = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (++digits > 3) {
          return null;
        }
        value = value * 10 + (c - '0');
      } else {
        return null;
      }
    }
    if (digits == 0 || group != 3 || value > 255) {
      return null;
    }
    out[3] = (byte) value;
    return out;
  }

  private static Optional<byte[]> parseIpv6(String address) {
    int doubleColon = address.indexOf("::");
    if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
      return Optional.empty();
    }
    String head = doubleColon < 0 ? address : address.substring(0, doubleColon);
    String tail = doubleColon < 0 ? "" : address.substring(doubleColon + 2);
    int[] headGroups = groups(head);
    int[] tailGroups = groups(tail);
    if (headGroups == null || tailGroups == null) {
      return Optional.empty();
    }
    int total = headGroups.length + tailGroups.length;
    if (doubleColon < 0 ? total != 8 : total > 7) {
      return Optional.empty();
    }
    int[] all = new int[8];
    System.arraycopy(headGroups, 0, all, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return Optional.of(out);
  }

  /** Groups of 16 bits; a trailing dotted IPv4 part counts as two groups. Null when invalid. */
  private static int[] groups(String part) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    int[] out = new int[pieces.length + 1];
    int n = 0;
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (i == pieces.length - 1 && p.indexOf('.') >= 0) {
        byte[] b = parseIpv4(p);
        if (b == null) {
          return null;
        }
        out[n++] = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        out[n++] = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        // ASCII only: Character.digit would also take other scripts' digits.
        int d = c < 0x80 ? Character.digit(c, 16) : -1;
        if (d < 0) {
          return null;
        }
        v = (v << 4) | d;
      }
      out[n++] = v;
    }
    return Arrays.copyOf(out, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r
        && r.prefixLength == prefixLength
        && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    return "IpRange[" + Arrays.toString(network) + "/" + prefixLength + "]";
  }
}
