package dev.rolegate.engine.request;

import dev.rolegate.engine.match.VariableSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    // Runs once per check, so it lower-cases each caller key once and fills one map. The derived
    // keys come with their lower case precomputed; all of them are aws: keys, which exist for every
    // action. The result is the same as merging into a map keyed by the spelling first: a caller
    // key replaces a key of the same lower case (and moves to the end), then the keys that do not
    // exist for the action are dropped. The capacity is that of the merged map, so that even the
    // iteration order of asMap() stays as it was.
    String[] derivedKeys;
    String[] derivedLower;
    String[] derivedValues;
    switch (principal) {
      case Principal.IamUser u -> {
        derivedKeys = USER_KEYS;
        derivedLower = USER_LOWER;
        derivedValues = new String[] {u.arn(), u.accountId(), "User", u.name()};
      }
      case Principal.RoleSession r -> {
        derivedKeys = SESSION_KEYS;
        derivedLower = SESSION_LOWER;
        derivedValues = new String[] {r.roleArn(), r.accountId(), "AssumedRole"};
      }
    }
    int callers = callerContext.size();
    String[] keys = new String[callers];
    String[] lower = new String[callers];
    @SuppressWarnings("unchecked")
    List<String>[] values = new List[callers];
    int n = 0;
    for (Map.Entry<String, List<String>> e : callerContext.entrySet()) {
      keys[n] = e.getKey();
      lower[n] = e.getKey().toLowerCase(Locale.ROOT);
      values[n] = e.getValue();
      n++;
    }
    int merged = derivedKeys.length + distinctNew(lower, derivedLower);
    String service = service(action);
    Map<String, Entry> m = new HashMap<>(merged * 2);
    for (int i = 0; i < derivedKeys.length; i++) {
      m.put(derivedLower[i], new Entry(derivedKeys[i], List.of(derivedValues[i])));
    }
    for (int i = 0; i < n; i++) {
      m.remove(lower[i]);
      if (existsFor(lower[i], service, action)) {
        m.put(lower[i], new Entry(keys[i], values[i]));
      }
    }
    return new RequestContext(m);
  }

  private static final String[] USER_KEYS = {
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:username"
  };
  private static final String[] SESSION_KEYS = {
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType"
  };
  private static final String[] USER_LOWER = lowerCase(USER_KEYS);
  private static final String[] SESSION_LOWER = lowerCase(SESSION_KEYS);

  private static String[] lowerCase(String[] keys) {
    String[] out = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = keys[i].toLowerCase(Locale.ROOT);
    }
    return out;
  }

  /** How many of the caller's lower-case keys are neither derived keys nor repeats. */
  private static int distinctNew(String[] lower, String[] derivedLower) {
    if (lower.length > 16) {
      Set<String> seen = new HashSet<>(Arrays.asList(derivedLower));
      int count = 0;
      for (String k : lower) {
        if (seen.add(k)) {
          count++;
        }
      }
      return count;
    }
    int count = 0;
    outer:
    for (int i = 0; i < lower.length; i++) {
      for (String d : derivedLower) {
        if (d.equals(lower[i])) {
          continue outer;
        }
      }
      for (int j = 0; j < i; j++) {
        if (lower[j].equals(lower[i])) {
          continue outer;
        }
      }
      count++;
    }
    return count;
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
