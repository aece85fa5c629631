package dev.rolegate.api.cli;

import static dev.rolegate.api.cli.ServeJarIT.database;
import static dev.rolegate.api.cli.ServeJarIT.freePort;
import static dev.rolegate.api.cli.ServeJarIT.on;
import static dev.rolegate.api.cli.ServeJarIT.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.testing.Certificates;
import dev.rolegate.api.testing.Certificates.Pair;
import dev.rolegate.api.testing.CommandOutput;
import dev.rolegate.api.testing.Jar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node given a certificate and its key ({@code ROLEGATE_TLS_CERTIFICATE}, {@code
 * ROLEGATE_TLS_KEY}) serves HTTPS on its port, as the packaged jar: clients that trust the
 * certificate are answered, plain HTTP is not, the health command speaks HTTPS, a renewed pair is
 * served without a restart, and a key that is not the certificate's stops the start.
 */
class TlsJarIT {
  @TempDir Path folder;

  Map<String, String> env(Pair pair, int port) {
    Map<String, String> env = on(database());
    env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
    env.put("ROLEGATE_BOOTSTRAP_TOKEN", "tls-it-bootstrap-token-0123456789"); // else it warns
    env.put("ROLEGATE_TLS_CERTIFICATE", pair.certificateFile().toString());
    env.put("ROLEGATE_TLS_KEY", pair.keyFile().toString());
    return env;
  }

  /** A client that trusts {@code certificates} only, checking the name it reaches as usual. */
  static HttpClient trusting(X509Certificate... certificates) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    for (int i = 0; i < certificates.length; i++) {
      trusted.setCertificateEntry("trusted-" + i, certificates[i]);
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The certificate a new connection to {@code port} is shown, among those trusted. */
  static Certificate served(int port, X509Certificate... trusted) throws Exception {
    HttpResponse<String> r = get(trusting(trusted), "https://127.0.0.1:" + port + "/health");
    return r.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  @Test
  void aNodeServesHttpsWithItsCertificateAndTakesARenewedOne() throws Exception {
    Pair pair = Certificates.create(folder, "node", "RSA", null, 30);
    int port = freePort();
    Map<String, String> env = env(pair, port);
    String logged;
    try (Jar.Running node = Jar.start(env)) {
      String started = node.awaitOutput("Startup completed");
      assertTrue(started.contains("Server Running: https://"), started);
      assertTrue(started.contains("serving HTTPS with CN=node, valid until "), started);

      HttpResponse<String> ready =
          get(trusting(pair.certificate()), "https://127.0.0.1:" + port + "/health/readiness");
      assertEquals(200, ready.statusCode(), ready.body());
      // The one port speaks HTTPS only: a plain request gets no answer.
      assertThrows(
          IOException.class,
          () -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/health"));
      // A client that does not trust the certificate is refused by its own check.
      assertThrows(
          IOException.class,
          () -> get(HttpClient.newHttpClient(), "https://127.0.0.1:" + port + "/health"));
      CommandOutput health = Jar.run(env, "health");
      assertEquals(0, health.code(), health.err());
      String metrics =
          get(trusting(pair.certificate()), "https://127.0.0.1:" + port + "/prometheus").body();
      assertTrue(
          metrics.contains(
              "rolegate_tls_certificate_expiry_seconds "
                  + (double) pair.certificate().getNotAfter().toInstant().getEpochSecond()),
          metrics);

      // Renewal: the files replaced in place (a new key, and another kind of key), no restart.
      Path old = folder.resolve("old.crt");
      Files.copy(pair.certificateFile(), old);
      Pair renewed = Certificates.create(folder, "renewed", "EC", null, 60);
      Certificates.write(pair.keyFile(), Files.readString(renewed.keyFile()));
      Certificates.write(pair.certificateFile(), Files.readString(renewed.certificateFile()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Certificate shown = served(port, pair.certificate(), renewed.certificate());
      while (!shown.equals(renewed.certificate()) && System.nanoTime() < deadline) {
        Thread.sleep(250);
        shown = served(port, pair.certificate(), renewed.certificate());
      }
      assertEquals(renewed.certificate(), shown, "the renewed certificate is served");
      metrics =
          get(trusting(renewed.certificate()), "https://127.0.0.1:" + port + "/prometheus").body();
      assertTrue(
          metrics.contains(
              "rolegate_tls_certificate_expiry_seconds "
                  + (double) renewed.certificate().getNotAfter().toInstant().getEpochSecond()),
          metrics);
      health = Jar.run(env, "health"); // the same file names, which now hold the renewed pair
      assertEquals(0, health.code(), health.err());
      // The health command trusts only what its file holds: the node no longer shows that.
      env.put("ROLEGATE_TLS_CERTIFICATE", old.toString());
      health = Jar.run(env, "health");
      assertEquals(1, health.code(), health.err());
      assertTrue(
          health.err().contains("the node shows a certificate that is not in"), health.err());
      logged = node.stop();
    }
    assertTrue(
        logged.contains("certificate files re-read: serving CN=renewed, valid until "), logged);
    for (String line : logged.split("\n")) {
      // Between the two replacements the node may read a new key beside the old certificate, and
      // says so; nothing else is worth a warning.
      if (!line.contains("certificate files re-read: ")) {
        assertFalse(line.contains(" WARN ") || line.contains(" ERROR "), line);
      }
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsTheStart() throws Exception {
    Pair pair = Certificates.create(folder, "node", "RSA", null, 30);
    Pair other = Certificates.create(folder, "other", "RSA", null, 30);
    Map<String, String> env = env(pair, freePort());
    env.put("ROLEGATE_TLS_KEY", other.keyFile().toString());
    assertEquals(
        "rolegate: cannot start: the private key in ROLEGATE_TLS_KEY does not belong to the"
            + " certificate in ROLEGATE_TLS_CERTIFICATE (the key is not the certificate's)",
        refused(Jar.run(env)));
  }

  /** Checked before anything starts, the embedded database included: one line, exit 1. */
  @Test
  void aMissingFileStopsTheStartAtOnce() throws Exception {
    Pair pair = Certificates.create(folder, "node", "RSA", null, 30);
    Path missing = folder.resolve("missing.key");
    CommandOutput r =
        Jar.run(
            Map.of(
                "ROLEGATE_TLS_CERTIFICATE",
                pair.certificateFile().toString(),
                "ROLEGATE_TLS_KEY",
                missing.toString(),
                "ROLEGATE_HOME",
                folder.resolve("home").toString()));
    assertEquals(
        "rolegate: cannot start: ROLEGATE_TLS_KEY names " + missing + ", which does not exist\n",
        r.err());
    assertEquals(1, r.code());
    assertFalse(Files.exists(folder.resolve("home")), "no embedded database was made");
  }

  @Test
  void anExpiringCertificateIsWarnedOfAtTheStart() throws Exception {
    Pair pair = Certificates.create(folder, "node", "RSA", null, 3);
    try (Jar.Running node = Jar.start(env(pair, freePort()))) {
      String started = node.awaitOutput("Startup completed");
      assertTrue(
          started.contains(" WARN ")
              && started.contains("serving HTTPS with CN=node, valid until ")
              && started.contains("it ends in under 14 days: renew it"),
          started);
    }
  }
}
