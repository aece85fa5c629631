package dev.rolegate.api.auth;

import dev.rolegate.persistence.token.StoredToken;
import dev.rolegate.persistence.token.TokenStore;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Issues tokens and finds the caller a presented token belongs to. */
@Singleton
public class Tokens {
  /** The name under which the bootstrap token acts (change log actor, decision caller). */
  public static final String BOOTSTRAP = "bootstrap";

  /**
   * How long a node trusts a stored token it looked up, without asking again. A revocation takes
   * effect at once on the node that made it, and on the others as soon as its notification arrives
   * (the change follower calls {@link #forget}); this bounds it should a notification be lost.
   */
  static final long CACHE_NANOS = 10_000_000_000L;

  private static final int MAX_CACHED = 10_000;
  private static final Caller BOOTSTRAP_CALLER = new Caller(BOOTSTRAP, EnumSet.allOf(Scope.class));
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Cached(Caller caller, long at) {}

  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final TokenStore store;
  private final Optional<byte[]> bootstrapHash;

  public Tokens(TokenStore store, @Value("${rolegate.bootstrap-token:}") String bootstrapToken) {
    this.store = store;
    this.bootstrapHash =
        bootstrapToken.isBlank() ? Optional.empty() : Optional.of(hash(bootstrapToken));
  }

  public boolean hasBootstrapToken() {
    return bootstrapHash.isPresent();
  }

  /**
   * The caller if known without the database: the bootstrap token, or a stored token looked up in
   * the last {@link #CACHE_NANOS}; empty when the store must be asked ({@link #authenticate}).
   */
  public Optional<Caller> fromMemory(String token) {
    byte[] h = hash(token);
    if (bootstrapHash.isPresent() && MessageDigest.isEqual(bootstrapHash.get(), h)) {
      return Optional.of(BOOTSTRAP_CALLER);
    }
    Cached c = cache.get(HexFormat.of().formatHex(h));
    return c != null && System.nanoTime() - c.at() < CACHE_NANOS
        ? Optional.of(c.caller())
        : Optional.empty();
  }

  /** The caller the token belongs to, if it is the bootstrap token or a live stored one. */
  public Optional<Caller> authenticate(String token) {
    Optional<Caller> known = fromMemory(token);
    if (known.isPresent()) {
      return known;
    }
    byte[] h = hash(token);
    Optional<Caller> found = store.findByHash(h).map(Tokens::caller);
    found.ifPresent(
        c -> {
          if (cache.size() > MAX_CACHED) {
            cache.clear();
          }
          cache.put(HexFormat.of().formatHex(h), new Cached(c, System.nanoTime()));
        });
    return found;
  }

  /** Forgets cached tokens, e.g. after a revocation on this node. */
  public void forget() {
    cache.clear();
  }

  /**
   * Creates a token and returns its value, which is stored only as a hash; empty if the name is
   * taken.
   */
  public Optional<String> create(String name, Set<Scope> scopes, String createdBy) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "rg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Set<String> names = scopes.stream().map(Scope::wireName).collect(Collectors.toSet());
    return store.create(name, hash(token), names, createdBy)
        ? Optional.of(token)
        : Optional.empty();
  }

  static Caller caller(StoredToken t) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    t.scopes().forEach(s -> Scope.fromWireName(s).ifPresent(scopes::add));
    return new Caller(t.name(), scopes);
  }

  static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
