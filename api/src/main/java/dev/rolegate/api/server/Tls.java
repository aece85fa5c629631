package dev.rolegate.api.server;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.ssl.CertificateProvider;
import jakarta.inject.Named;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * HTTPS for a node, from two PEM files an operator names: {@value #CERTIFICATE} (the node's
 * certificate, then any intermediate certificates) and {@value #KEY} (its private key, not
 * encrypted: PKCS#8, PKCS#1 RSA or SEC1 EC). Both or neither: with neither the node speaks plain
 * HTTP, as it always did, for a deployment that ends TLS in front of it.
 *
 * <p>The files are checked before Micronaut reads them, since its own errors say little ({@code
 * Missing start tag}, or only a path), and a key that does not belong to the certificate would
 * start a node whose every handshake fails: {@link Check} refuses it. Micronaut reads the files
 * again when they are replaced (renewal without a restart), on the port the node would listen on
 * anyway, which Micronaut's HTTPS would otherwise move to 8443.
 */
public final class Tls {
  public static final String CERTIFICATE = "ROLEGATE_TLS_CERTIFICATE";
  public static final String KEY = "ROLEGATE_TLS_KEY";

  /** The name of Micronaut's certificate provider that reads the two files. */
  static final String PROVIDER = "rolegate";

  /** A certificate file or key file past this is not one: a chain of ten is a few kilobytes. */
  private static final long MOST_BYTES = 1 << 20;

  /** How long before its end a certificate's coming expiry is logged as a warning. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(14);

  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

  private Tls() {}

  /** Whether {@code env} asks for HTTPS (either file named: {@link #properties} then checks). */
  public static boolean requested(Map<String, String> env) {
    return named(env, CERTIFICATE).isPresent() || named(env, KEY).isPresent();
  }

  /**
   * The Micronaut properties that serve HTTPS from the files {@code env} names, none when it names
   * neither. Refuses, naming the variable, a file that is missing, unreadable or not what its
   * variable says, and one variable without the other.
   */
  public static Map<String, Object> properties(Map<String, String> env) {
    Optional<String> certificate = named(env, CERTIFICATE);
    Optional<String> key = named(env, KEY);
    if (certificate.isEmpty() && key.isEmpty()) {
      return Map.of();
    }
    if (certificate.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException(
          (key.isEmpty() ? CERTIFICATE : KEY)
              + " is set but "
              + (key.isEmpty() ? KEY : CERTIFICATE)
              + " is not: HTTPS needs both, the certificate (PEM) and its private key (PEM)");
    }
    certificates(Path.of(certificate.get()));
    checkKeyFile(Path.of(key.get()));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("micronaut.server.ssl.enabled", "true");
    // HTTPS on the node's one port (MICRONAUT_SERVER_PORT), not Micronaut's 8443 beside it.
    properties.put("micronaut.server.ssl.port", "${micronaut.server.port}");
    properties.put("micronaut.server.ssl.key-name", PROVIDER);
    String file = "micronaut.certificate.file." + PROVIDER + ".";
    properties.put(file + "path", key.get());
    properties.put(file + "certificate-path", certificate.get());
    properties.put(file + "format", "PEM");
    // Reloaded when either file is replaced. Not SCHEDULER: it reloads through symbolic links but
    // logs a NullPointerException at every stop (Micronaut 4.10).
    properties.put(file + "refresh-mode", "FILE_WATCHER");
    return properties;
  }

  /** The certificates of {@code file}, the node's first; refused naming {@value #CERTIFICATE}. */
  public static List<X509Certificate> certificates(Path file) {
    String text = read(CERTIFICATE, file);
    List<String> blocks = blocks(text);
    if (blocks.stream().anyMatch(b -> b.endsWith("PRIVATE KEY"))) {
      throw new IllegalArgumentException(
          CERTIFICATE
              + " names "
              + file
              + ", which holds a private key: it names the certificate, "
              + KEY
              + " its private key");
    }
    if (!blocks.contains("CERTIFICATE")) {
      throw new IllegalArgumentException(
          CERTIFICATE
              + " names "
              + file
              + ", which holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)))) {
        chain.add((X509Certificate) c);
      }
      return chain;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          CERTIFICATE + " names " + file + ", whose certificate cannot be read: " + e.getMessage());
    }
  }

  /** A key file holds one private key, not encrypted, and nothing else. */
  private static void checkKeyFile(Path file) {
    List<String> blocks = blocks(read(KEY, file));
    String start = KEY + " names " + file + ", which ";
    if (blocks.contains("ENCRYPTED PRIVATE KEY")) {
      throw new IllegalArgumentException(
          start
              + "holds an encrypted key: give the key unencrypted"
              + " (openssl pkey -in KEY -out KEY.pem) in a file only the node can read");
    }
    List<String> keys = blocks.stream().filter(b -> b.endsWith("PRIVATE KEY")).toList();
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          start + "holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    // SEC1 keys from `openssl ecparam -genkey` come after their curve's parameters.
    List<String> others =
        blocks.stream()
            .filter(b -> !b.endsWith("PRIVATE KEY") && !b.equals("EC PARAMETERS"))
            .toList();
    if (keys.size() > 1 || !others.isEmpty()) {
      throw new IllegalArgumentException(
          start
              + "holds "
              + String.join(", ", blocks)
              + ": it must hold the private key alone, the certificates go in "
              + CERTIFICATE);
    }
  }

  private static Optional<String> named(Map<String, String> env, String variable) {
    return Optional.ofNullable(env.get(variable)).map(String::strip).filter(s -> !s.isEmpty());
  }

  private static String read(String variable, Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            variable
                + " names "
                + file
                + ", which "
                + (Files.exists(file) ? "is not a file" : "does not exist"));
      }
      if (Files.size(file) > MOST_BYTES) {
        throw new IllegalArgumentException(
            variable + " names " + file + ", which is over 1 MiB: not a PEM file");
      }
      // Latin-1 reads any bytes; PEM is ASCII, so anything else fails the checks that follow.
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          variable + " names " + file + ", which cannot be read: " + e);
    }
  }

  /** The labels of the PEM blocks of {@code text}, in order. */
  private static List<String> blocks(String text) {
    List<String> labels = new ArrayList<>();
    Matcher m = BEGIN.matcher(text);
    while (m.find()) {
      labels.add(m.group(1));
    }
    return labels;
  }

  /**
   * Whether the certificate chain and private key of {@code store} (as Micronaut reads the two
   * files) belong together: empty when they do, else what is wrong. They belong together when a
   * signature made with the key verifies with the certificate's public key.
   */
  static Optional<String> mismatch(KeyStore store) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        PrivateKey key = (PrivateKey) store.getKey(alias, null);
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
          return Optional.of(CERTIFICATE + " holds no certificate");
        }
        Optional<String> algorithm = signatureAlgorithm(key.getAlgorithm());
        if (!key.getAlgorithm().equals(chain[0].getPublicKey().getAlgorithm())) {
          return Optional.of(
              differ(
                  key.getAlgorithm()
                      + " key, "
                      + chain[0].getPublicKey().getAlgorithm()
                      + " certificate"));
        }
        if (algorithm.isEmpty()) {
          return Optional.empty(); // a kind of key this check cannot sign with: handshakes tell
        }
        byte[] data = new byte[32];
        new SecureRandom().nextBytes(data);
        Signature signer = Signature.getInstance(algorithm.get());
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm.get());
        verifier.initVerify(chain[0].getPublicKey());
        verifier.update(data);
        return verifier.verify(signature)
            ? Optional.empty()
            : Optional.of(differ("the key is not the certificate's"));
      }
      return Optional.of(KEY + " holds no private key");
    } catch (GeneralSecurityException e) {
      return Optional.of(differ(e.toString()));
    }
  }

  private static String differ(String why) {
    return "the private key in "
        + KEY
        + " does not belong to the certificate in "
        + CERTIFICATE
        + " ("
        + why
        + ")";
  }

  private static Optional<String> signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> Optional.of("SHA256withRSA");
      case "EC" -> Optional.of("SHA256withECDSA");
      case "Ed25519", "Ed448", "EdDSA" -> Optional.of(keyAlgorithm);
      default -> Optional.empty();
    };
  }

  /** What a log line says of {@code certificate}: its subject and its end. */
  static String describe(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName()
        + ", valid until "
        + certificate.getNotAfter().toInstant();
  }

  /** A warning when {@code certificate} has ended by {@code now}, or ends within two weeks. */
  static Optional<String> expiry(X509Certificate certificate, Instant now) {
    Instant end = certificate.getNotAfter().toInstant();
    if (!end.isAfter(now)) {
      return Optional.of("it has EXPIRED: clients that check certificates refuse it");
    }
    if (Duration.between(now, end).compareTo(EXPIRY_WARNING) < 0) {
      return Optional.of("it ends in under " + EXPIRY_WARNING.toDays() + " days: renew it");
    }
    return Optional.empty();
  }

  /**
   * Checks what Micronaut read from the two files, at the start (a key that does not belong to the
   * certificate stops it) and at every reload after the files were replaced (logged: the node then
   * serves what it read, so handshakes fail until both files hold a matching pair again).
   */
  @Context
  @Requires(property = "micronaut.certificate.file." + PROVIDER + ".path")
  static class Check {
    /** The end of the certificate being served, for the metric an expiry alert reads. */
    private volatile Instant notAfter = Instant.EPOCH;

    Check(@Named(PROVIDER) CertificateProvider provider) {
      KeyStore first = Flux.from(provider.getKeyStore()).blockFirst(Duration.ofSeconds(30));
      if (first == null) {
        throw new IllegalStateException("the certificate files were not read");
      }
      mismatch(first)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException(problem);
              });
      log(first, "serving HTTPS with ");
      Flux.from(provider.getKeyStore())
          .skip(1)
          .subscribe(
              store ->
                  mismatch(store)
                      .ifPresentOrElse(
                          problem ->
                              LOG.error(
                                  "certificate files re-read: {}: handshakes fail until they match",
                                  problem),
                          () -> log(store, "certificate files re-read: serving ")));
    }

    Instant notAfter() {
      return notAfter;
    }

    private void log(KeyStore store, String what) {
      try {
        for (String alias : Collections.list(store.aliases())) {
          if (store.isKeyEntry(alias)) {
            X509Certificate certificate = (X509Certificate) store.getCertificateChain(alias)[0];
            notAfter = certificate.getNotAfter().toInstant();
            String described = describe(certificate);
            expiry(certificate, Clock.systemUTC().instant())
                .ifPresentOrElse(
                    warning -> LOG.warn("{}{}: {}", what, described, warning),
                    () -> LOG.info("{}{}", what, described));
          }
        }
      } catch (GeneralSecurityException e) {
        LOG.info("{}the certificate files ({})", what, e.toString());
      }
    }
  }
}
