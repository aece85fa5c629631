package dev.rolegate.engine.eval;

import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of one layer (or one SCP level), compiled, and their answer for each action asked
 * about kept, so that a check looks only at statements that can match its action. A large set is
 * also indexed by action, so that a first answer looks only at the statements naming the action
 * exactly, those with a wildcard inside its service, and those that no index can narrow ({@code
 * NotAction}, {@code *}).
 */
public final class PolicySet {
  private static final CompiledStatement[] NONE = new CompiledStatement[0];

  private final List<SourcedPolicy> policies;
  private final Layer layer;
  private final int level;
  private final int size;

  /**
   * Sets of at least this many statements are indexed by action when they are compiled; a smaller
   * set's statements are all checked on the first ask for an action, whose answer is then kept
   * ({@link #matching}). Why: a store's sets are mostly one policy each, of a few dozen statements
   * at most, and a decision asks about a handful of actions, so each set's index would be read a
   * few times in all. In a large store those indexes (a lower-case key and an array per action per
   * set) were a fifth of the memory held and a large part of a load's work.
   */
  static final int INDEXED_FROM = 64;

  /** Every statement in policy order when the set is not indexed, else null. */
  private final CompiledStatement[] all;

  /** The index, null when the set is not indexed: statements by exact action, in lower case. */
  private final Map<String, CompiledStatement[]> byAction;

  /** Statements with a wildcard inside one service, by service. */
  private final Map<String, CompiledStatement[]> byService;

  /** Statements no index can narrow. */
  private final CompiledStatement[] unindexed;

  /**
   * The first answers of {@link #matching}: action and candidates in turn, at most {@link
   * #FEW_ACTIONS} of each. A principal is asked about a handful of actions over and over, and a
   * store holds tens of thousands of sets: a short array read in one or two cache lines finds them
   * faster than a hash map's table and nodes, which a large store rarely has in the cache. The
   * array is replaced whole when an answer is added, so readers need no lock.
   */
  private volatile Object[] fewActions = NO_ANSWERS;

  private static final Object[] NO_ANSWERS = new Object[0];

  private static final int FEW_ACTIONS = 8;

  /**
   * Answers for further actions, at most MAX_CACHED_ACTIONS; made on the first of them, since most
   * sets of a store are never asked about more than a few actions.
   */
  private volatile Map<String, Candidates> byMatchingAction;

  private static final int MAX_CACHED_ACTIONS = 256;

  private PolicySet(List<SourcedPolicy> policies, Layer layer, int level, SharedParts shared) {
    this.policies = List.copyOf(policies);
    this.layer = layer;
    this.level = level;
    List<CompiledStatement> compiled = new ArrayList<>();
    for (SourcedPolicy policy : this.policies) {
      for (Statement s : policy.document().statements()) {
        compiled.add(new CompiledStatement(compiled.size(), policy, s, layer, level, shared));
      }
    }
    this.size = compiled.size();
    if (size < INDEXED_FROM) {
      this.all = compiled.toArray(NONE);
      this.byAction = null;
      this.byService = null;
      this.unindexed = NONE;
      return;
    }
    Map<String, List<CompiledStatement>> actions = new HashMap<>();
    Map<String, List<CompiledStatement>> services = new HashMap<>();
    List<CompiledStatement> rest = new ArrayList<>();
    for (CompiledStatement c : compiled) {
      index(c, c.reference.source().action(), actions, services, rest);
    }
    this.all = null;
    this.byAction = freeze(actions);
    this.byService = freeze(services);
    this.unindexed = rest.toArray(NONE);
  }

  /** Compiles the policies of one layer; SCP levels pass their 0-based level, root first. */
  public static PolicySet of(List<SourcedPolicy> policies, Layer layer, int level) {
    return new PolicySet(policies, layer, level, new SharedParts());
  }

  /**
   * Compiles the policies of one layer with parts shared with other sets: a store that compiles
   * many policies at once passes one {@link SharedParts} to all of them, so that each distinct
   * pattern and condition list is compiled and held once.
   */
  public static PolicySet of(
      List<SourcedPolicy> policies, Layer layer, int level, SharedParts shared) {
    return new PolicySet(policies, layer, level, shared);
  }

  public List<SourcedPolicy> policies() {
    return policies;
  }

  public Layer layer() {
    return layer;
  }

  public int level() {
    return level;
  }

  /** The number of statements in the set. */
  public int size() {
    return size;
  }

  private static void index(
      CompiledStatement c,
      ActionClause clause,
      Map<String, List<CompiledStatement>> actions,
      Map<String, List<CompiledStatement>> services,
      List<CompiledStatement> rest) {
    if (clause instanceof ActionClause.Excluded) {
      rest.add(c);
      return;
    }
    for (String pattern : clause.patterns()) {
      String p = pattern.toLowerCase(Locale.ROOT);
      int colon = p.indexOf(':');
      String service = colon < 0 ? null : p.substring(0, colon);
      if (service == null || service.indexOf('*') >= 0 || service.indexOf('?') >= 0) {
        if (!rest.contains(c)) {
          rest.add(c);
        }
      } else if (p.indexOf('*') < 0 && p.indexOf('?') < 0) {
        addOnce(actions.computeIfAbsent(p, k -> new ArrayList<>()), c);
      } else {
        addOnce(services.computeIfAbsent(service, k -> new ArrayList<>()), c);
      }
    }
  }

  private static void addOnce(List<CompiledStatement> list, CompiledStatement c) {
    if (list.isEmpty() || list.get(list.size() - 1) != c) {
      list.add(c);
    }
  }

  /** An immutable map (compact, read often), built straight from the entries: sets are many. */
  private static Map<String, CompiledStatement[]> freeze(Map<String, List<CompiledStatement>> m) {
    @SuppressWarnings("unchecked")
    Map.Entry<String, CompiledStatement[]>[] entries = new Map.Entry[m.size()];
    int i = 0;
    for (Map.Entry<String, List<CompiledStatement>> e : m.entrySet()) {
      entries[i++] = Map.entry(e.getKey(), e.getValue().toArray(NONE));
    }
    return Map.ofEntries(entries);
  }

  /**
   * The statements whose action matches the action, in policy order, each once. The first call for
   * an action narrows with the index, then checks each candidate's patterns; the answer is kept,
   * keyed by the action as given (callers pass the same constant spellings, so a hit needs no
   * lower-casing), since a principal asks about a handful of actions over and over (the
   * instance-profile operations use four). The cache is bounded so that a caller who asks about
   * ever new action names cannot grow it without limit: past the bound, answers are computed and
   * not kept. Racing threads compute equal answers, so which one is kept does not matter.
   */
  Candidates matching(String action) {
    Object[] few = fewActions;
    for (int i = 0; i < few.length; i += 2) {
      if (action.equals(few[i])) {
        return (Candidates) few[i + 1];
      }
    }
    Map<String, Candidates> more = few.length < 2 * FEW_ACTIONS ? null : byMatchingAction;
    Candidates cached = more == null ? null : more.get(action);
    if (cached != null) {
      return cached;
    }
    String lowerCaseAction = action.toLowerCase(Locale.ROOT);
    CompiledStatement[] candidates = candidates(lowerCaseAction);
    CompiledStatement[] out = new CompiledStatement[candidates.length];
    int n = 0;
    for (CompiledStatement c : candidates) {
      if (c.actionMatches(lowerCaseAction)) {
        out[n++] = c;
      }
    }
    Candidates answer =
        n == 0
            ? Candidates.NONE
            : new Candidates(n == out.length ? out : java.util.Arrays.copyOf(out, n));
    keep(action, answer);
    return answer;
  }

  /** Racing threads may each add an answer and one may be lost: it is computed again later. */
  private void keep(String action, Candidates answer) {
    Object[] few = fewActions;
    for (int i = 0; i < few.length; i += 2) {
      if (action.equals(few[i])) {
        return;
      }
    }
    if (few.length < 2 * FEW_ACTIONS) {
      Object[] more = java.util.Arrays.copyOf(few, few.length + 2);
      more[few.length] = action;
      more[few.length + 1] = answer;
      fewActions = more;
    } else {
      Map<String, Candidates> more = byMatchingAction;
      if (more == null) {
        synchronized (this) {
          if (byMatchingAction == null) {
            byMatchingAction = new ConcurrentHashMap<>();
          }
          more = byMatchingAction;
        }
      }
      if (more.size() < MAX_CACHED_ACTIONS) {
        more.putIfAbsent(action, answer);
      }
    }
  }

  /**
   * The statements that may match the action (given in lower case), in policy order, each once.
   * They still need their action checked: the index only narrows, and a set without one answers all
   * its statements.
   */
  private CompiledStatement[] candidates(String lowerCaseAction) {
    if (byAction == null) {
      return all;
    }
    CompiledStatement[] exact = byAction.getOrDefault(lowerCaseAction, NONE);
    int colon = lowerCaseAction.indexOf(':');
    CompiledStatement[] service =
        colon < 0 ? NONE : byService.getOrDefault(lowerCaseAction.substring(0, colon), NONE);
    if (service.length == 0 && unindexed.length == 0) {
      return exact;
    }
    if (exact.length == 0 && unindexed.length == 0) {
      return service;
    }
    if (exact.length == 0 && service.length == 0) {
      return unindexed;
    }
    return merge(merge(exact, service), unindexed);
  }

  /** Merges two arrays sorted by ordinal, dropping duplicates. */
  private static CompiledStatement[] merge(CompiledStatement[] a, CompiledStatement[] b) {
    CompiledStatement[] out = new CompiledStatement[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      CompiledStatement next;
      if (j >= b.length || (i < a.length && a[i].ordinal <= b[j].ordinal)) {
        next = a[i++];
      } else {
        next = b[j++];
      }
      if (n == 0 || out[n - 1] != next) {
        out[n++] = next;
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}
