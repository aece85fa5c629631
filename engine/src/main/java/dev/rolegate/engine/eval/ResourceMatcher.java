package dev.rolegate.engine.eval;

import dev.rolegate.engine.match.ArnPattern;
import dev.rolegate.engine.request.RequestContext;
import java.util.List;

/**
 * The {@code Resource} or {@code NotResource} patterns of a statement, compiled once. Statements of
 * a set that list the same patterns share one matcher (see {@link SharedParts}), so that a check
 * can match it once and reuse the answer for all of them.
 */
final class ResourceMatcher {
  private final ArnPattern[] patterns;

  /**
   * Each pattern's literal service, or null: read side by side, so that a pattern of another
   * service is skipped without reading the pattern itself, which in a large store is rarely in the
   * CPU's cache.
   */
  private final String[] services;

  private final boolean excluded;

  ResourceMatcher(List<String> patterns, boolean excluded, boolean variables, SharedParts shared) {
    this.patterns = new ArnPattern[patterns.size()];
    this.services = new String[patterns.size()];
    for (int i = 0; i < this.patterns.length; i++) {
      this.patterns[i] = shared.resource(patterns.get(i), variables);
      this.services[i] = this.patterns[i].literalService();
    }
    this.excluded = excluded;
  }

  /** The resource, cut once per check. */
  boolean matches(ArnPattern.Target resource, RequestContext context) {
    boolean any = false;
    for (int i = 0; i < patterns.length; i++) {
      if (services[i] != null && !resource.hasService(services[i])) {
        continue;
      }
      if (patterns[i].matches(resource, context)) {
        any = true;
        break;
      }
    }
    return any != excluded;
  }

  /** Adds the keys of the patterns' variables that the request cannot resolve, each once. */
  void collectUnresolvedVariables(RequestContext context, List<String> out) {
    for (ArnPattern p : patterns) {
      for (String key : p.unresolvedVariables(context)) {
        if (!out.contains(key)) {
          out.add(key);
        }
      }
    }
  }
}
