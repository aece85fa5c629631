package dev.rolegate.engine.request;

import dev.rolegate.engine.match.VariableSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request's context keys and their values. Key names are case-insensitive (stored in lower
 * case, with the spelling first given kept for messages); values are strings, several for a
 * multivalued key.
 */
public final class RequestContext implements VariableSource {
  /** One key: the spelling first seen, and its values. */
  public record Entry(String key, List<String> values) {
    public Entry {
      values = List.copyOf(values);
    }
  }

  private static final RequestContext EMPTY = new RequestContext(Map.of());

  private final Map<String, Entry> entries;

  private RequestContext(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static RequestContext empty() {
    return EMPTY;
  }

  /** A context from key to values; a later spelling of the same key replaces an earlier one. */
  public static RequestContext of(Map<String, List<String>> values) {
    Map<String, Entry> m = new HashMap<>(values.size() * 2);
    values.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), new Entry(k, v)));
    return new RequestContext(m);
  }

  /**
   * The context a request for this action carries: the principal's derived keys, overridden by the
   * caller's keys, less the keys that do not exist for the action (a key of another service, or a
   * PassRole-only key on another action).
   */
  public static RequestContext forAction(
      String action, Principal principal, Map<String, List<String>> callerContext) {
    Map<String, List<String>> merged = new LinkedHashMap<>(principal.derivedContext());
    Map<String, String> spelling = new HashMap<>();
    merged.keySet().forEach(k -> spelling.put(k.toLowerCase(Locale.ROOT), k));
    callerContext.forEach(
        (k, v) -> {
          String previous = spelling.put(k.toLowerCase(Locale.ROOT), k);
          if (previous != null) {
            merged.remove(previous);
          }
          merged.put(k, v);
        });
    String service = service(action);
    Map<String, Entry> m = new HashMap<>(merged.size() * 2);
    merged.forEach(
        (k, v) -> {
          String lower = k.toLowerCase(Locale.ROOT);
          if (existsFor(lower, service, action)) {
            m.put(lower, new Entry(k, v));
          }
        });
    return new RequestContext(m);
  }

  private static boolean existsFor(String lowerKey, String service, String action) {
    int colon = lowerKey.indexOf(':');
    if (colon < 0) {
      return true;
    }
    String keyService = lowerKey.substring(0, colon);
    if (keyService.equals("aws")) {
      return true;
    }
    if (!keyService.equals(service)) {
      return false;
    }
    if (lowerKey.equals("iam:passedtoservice") || lowerKey.equals("iam:associatedresourcearn")) {
      return action.equalsIgnoreCase("iam:PassRole");
    }
    return true;
  }

  private static String service(String action) {
    int colon = action.indexOf(':');
    return colon < 0 ? "" : action.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** The values of a key given in lower case, or null when absent. */
  public List<String> values(String lowerCaseKey) {
    Entry e = entries.get(lowerCaseKey);
    return e == null ? null : e.values();
  }

  /** The key's spelling as given, or the lower-case key when absent. */
  public String spelling(String lowerCaseKey) {
    Entry e = entries.get(lowerCaseKey);
    return e == null ? lowerCaseKey : e.key();
  }

  @Override
  public String singleValue(String lowerCaseKey) {
    Entry e = entries.get(lowerCaseKey);
    return e == null || e.values().size() != 1 ? null : e.values().get(0);
  }

  /** Every key and its values, keyed by the spelling given. */
  public Map<String, List<String>> asMap() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    entries.values().forEach(e -> out.put(e.key(), e.values()));
    return out;
  }
}
