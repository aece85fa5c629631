package dev.rolegate.engine.eval;

import java.util.List;

/**
 * The decision of one check and its reasoning. On an explicit deny only the Deny statements are
 * listed, as the simulator does; otherwise the Allow statements that matched, in every layer.
 */
public record CheckResult(
    String action,
    String resource,
    Decision decision,
    List<MatchedStatement> matchedStatements,
    List<LayerResult> layers,
    List<String> missingContextValues,
    List<NearMiss> nearMisses) {
  public CheckResult {
    matchedStatements = List.copyOf(matchedStatements);
    layers = List.copyOf(layers);
    missingContextValues = List.copyOf(missingContextValues);
    nearMisses = List.copyOf(nearMisses);
  }

  public boolean allowed() {
    return decision == Decision.ALLOWED;
  }

  /** The result of a layer, or null when the request had no such layer. */
  public LayerResult layer(Layer layer) {
    for (LayerResult r : layers) {
      if (r.layer() == layer && r.decision() != Decision.ALLOWED) {
        return r;
      }
    }
    for (LayerResult r : layers) {
      if (r.layer() == layer) {
        return r;
      }
    }
    return null;
  }

  /** False when the permissions boundary denies, implicitly or explicitly. */
  public boolean allowedByPermissionsBoundary() {
    LayerResult r = layer(Layer.PERMISSIONS_BOUNDARY);
    return r == null || r.decision() == Decision.ALLOWED;
  }

  /** False when any SCP level fails to allow. */
  public boolean allowedByOrganizations() {
    LayerResult r = layer(Layer.SERVICE_CONTROL);
    return r == null || r.decision() == Decision.ALLOWED;
  }
}
