package dev.rolegate.engine.remedy;

import dev.rolegate.engine.eval.CheckResult;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.Layer;
import dev.rolegate.engine.eval.LayerResult;
import dev.rolegate.engine.eval.MatchedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What would make a denied request allowed. Grants fix implicit denies; required changes name the
 * Deny statements behind explicit denies. When there is any required change, adding the grants
 * alone is not enough.
 */
public record Remedy(List<Grant> grants, List<RequiredChange> requiredChanges) {
  public Remedy {
    grants = List.copyOf(grants);
    requiredChanges = List.copyOf(requiredChanges);
  }

  /** True when adding the grants allows the request: no Deny stands in the way. */
  public boolean fixableByAllow() {
    return requiredChanges.isEmpty() && !grants.isEmpty();
  }

  /** The grants for one layer (and SCP level). */
  public List<RemedyStatement> statementsFor(Layer layer, int level) {
    List<RemedyStatement> out = new ArrayList<>();
    for (Grant g : grants) {
      if (g.layer() == layer && g.level() == level) {
        out.add(g.statement());
      }
    }
    return out;
  }

  /**
   * The remedy for checks that were denied. {@code statementFor} gives the least-privilege
   * statement for a check's action and resource.
   */
  public static Remedy of(List<CheckResult> checks, List<RemedyStatement> statementForCheck) {
    List<Grant> grants = new ArrayList<>();
    List<RequiredChange> changes = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      CheckResult check = checks.get(i);
      switch (check.decision()) {
        case ALLOWED -> {}
        case EXPLICIT_DENY -> {
          for (MatchedStatement deny : check.matchedStatements()) {
            changes.add(
                new RequiredChange(
                    deny,
                    check.action(),
                    check.resource(),
                    "it explicitly denies "
                        + check.action()
                        + " on "
                        + check.resource()
                        + ": remove it or narrow its Action, Resource or Condition; no Allow can"
                        + " override a Deny"));
          }
        }
        case IMPLICIT_DENY -> {
          // Each layer that failed to allow needs the grant; an SCP level per level.
          Map<String, Grant> perLayer = new LinkedHashMap<>();
          for (LayerResult r : check.layers()) {
            if (r.decision() == Decision.IMPLICIT_DENY) {
              perLayer.putIfAbsent(
                  r.layer() + "/" + r.level(),
                  new Grant(r.layer(), r.level(), statementForCheck.get(i)));
            }
          }
          grants.addAll(perLayer.values());
        }
      }
    }
    return new Remedy(grants, changes);
  }
}
