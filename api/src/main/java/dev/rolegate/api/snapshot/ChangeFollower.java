package dev.rolegate.api.snapshot;

import dev.rolegate.api.auth.Tokens;
import dev.rolegate.persistence.store.ChangeFeed;
import dev.rolegate.persistence.store.ChangeFeed.Notice;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the writes of every node: listens on PostgreSQL for their notifications and hands them to
 * {@link PolicySnapshots}, and has {@link Tokens} forget the tokens it trusted from memory when any
 * node revokes one. After (re)connecting it catches up from the change log and forgets the trusted
 * tokens, so a node that lost its connection misses nothing; while disconnected it retries with a
 * growing pause and the node keeps answering from what it holds.
 */
@Context
public class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
  private static final int POLL_MILLIS = 250;

  private final ChangeFeed feed;
  private final PolicySnapshots snapshots;
  private final Tokens tokens;
  private final Duration maxPause;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean connected;

  public ChangeFollower(
      ChangeFeed feed,
      PolicySnapshots snapshots,
      Tokens tokens,
      @Value("${rolegate.follower.max-pause:5s}") Duration maxPause) {
    if (maxPause.isNegative() || maxPause.isZero()) {
      throw new IllegalArgumentException(
          "ROLEGATE_FOLLOWER_MAX_PAUSE must be a positive duration (5s, 500ms), not " + maxPause);
    }
    this.feed = feed;
    this.snapshots = snapshots;
    this.tokens = tokens;
    this.maxPause = maxPause;
    this.thread = Thread.ofPlatform().daemon().name("rolegate-change-follower").start(this::run);
  }

  /** Whether the follower listens now (false while the database is unreachable). */
  public boolean connected() {
    return connected;
  }

  private void run() {
    Duration pause = Duration.ofMillis(100);
    while (running) {
      try (ChangeFeed.Listener listener = feed.listen()) {
        snapshots.catchUp();
        tokens.forget(); // a revocation may have been missed while not listening
        if (!connected) {
          LOG.info("following store changes from revision {}", snapshots.applied());
        }
        connected = true;
        pause = Duration.ofMillis(100);
        while (running) {
          ChangeFeed.Received received = listener.poll(POLL_MILLIS);
          if (received.tokensRevoked()) {
            tokens.forget();
          }
          for (Notice n : received.changes()) {
            snapshots.notified(n);
          }
        }
      } catch (Exception e) {
        if (!running) {
          return;
        }
        if (connected) {
          LOG.warn("lost the store's change notifications ({}); retrying", e.getMessage());
        }
        connected = false;
        sleep(pause);
        pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  @PreDestroy
  public void close() {
    running = false;
    thread.interrupt();
    // Waits for the follower to give its connection back (a poll ends within POLL_MILLIS): the pool
    // closes next, and a listening connection it closed under the follower would be logged as
    // broken, with a stack trace, at every shutdown.
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
