package dev.rolegate.api.server;

import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.api.snapshot.Preloader;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether this node can answer decisions: it has caught up with the store and, with preloading on,
 * loaded every account once. The database is not asked: a node that holds the store answers from it
 * while the database is away, so it stays ready.
 */
@Singleton
public class Readiness {
  private final PolicySnapshots snapshots;
  private final BeanProvider<Preloader> preloader;

  public Readiness(PolicySnapshots snapshots, BeanProvider<Preloader> preloader) {
    this.snapshots = snapshots;
    this.preloader = preloader;
  }

  /** Why the node is not ready; empty when it is. */
  public List<String> notReady() {
    List<String> reasons = new ArrayList<>(2);
    if (snapshots.applied() < 0) {
      reasons.add("not caught up with the store yet");
    } else if (preloader.isPresent()) {
      int left = preloader.get().firstRoundLeft();
      if (left != 0) {
        reasons.add(
            left < 0
                ? "not listed the store's accounts yet"
                : "loading the store's accounts: " + left + " left");
      }
    }
    return reasons;
  }

  public boolean ready() {
    return notReady().isEmpty();
  }
}
