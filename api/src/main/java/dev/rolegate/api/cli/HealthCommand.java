package dev.rolegate.api.cli;

import dev.rolegate.api.server.Tls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@code health [readiness|liveness|all|URL]}: asks a running node's health probe, for a
 * container's health check where the image has no HTTP client (see deploy/Dockerfile). By default
 * the node on this machine, at {@code MICRONAUT_SERVER_PORT} (8181), and its readiness; over HTTPS
 * when the node serves it ({@link Tls}), trusting the certificate the node was given. Exit codes: 0
 * the probe answered 200, 1 it answered anything else or could not be reached, 2 the command line
 * (or the certificate file) is unusable.
 */
public final class HealthCommand {
  private static final Map<String, String> PROBES =
      Map.of("readiness", "/health/readiness", "liveness", "/health/liveness", "all", "/health");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private HealthCommand() {}

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length > 1) {
      err.println("rolegate health: give one probe or URL, not " + args.length);
      return 2;
    }
    String which = args.length == 0 ? "readiness" : args[0];
    boolean probe = PROBES.containsKey(which);
    boolean https = probe && Tls.requested(env);
    URI uri;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    try {
      uri =
          probe
              ? URI.create(
                  (https ? "https" : "http") + "://127.0.0.1:" + port(env) + PROBES.get(which))
              : URI.create(which);
      if (https) {
        client.sslContext(pinned(Tls.certificates(Path.of(env.get(Tls.CERTIFICATE).strip()))));
      }
    } catch (IllegalArgumentException e) {
      err.println("rolegate health: " + e.getMessage());
      return 2;
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      err.println(
          "rolegate health: `"
              + which
              + "` is neither readiness, liveness, all nor an http(s) URL");
      return 2;
    }
    try {
      HttpResponse<String> r =
          client
              .build()
              .send(
                  HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        out.println(r.body());
        return 0;
      }
      err.println("rolegate health: " + uri + " answered " + r.statusCode() + ": " + r.body());
      return 1;
    } catch (IOException e) {
      err.println("rolegate health: cannot reach " + uri + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /**
   * A TLS context that trusts the node on this machine when it shows one of the certificates its
   * {@link Tls#CERTIFICATE} file holds, at whatever name: the probe asks 127.0.0.1, which a
   * certificate made for the node's public name does not list, and is about the node's readiness,
   * not its certificate's dates (an expired certificate is logged by the node, and replacing it
   * needs no restart).
   */
  private static SSLContext pinned(List<X509Certificate> certificates) {
    X509ExtendedTrustManager trust =
        new X509ExtendedTrustManager() {
          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType)
              throws CertificateException {
            if (chain == null || chain.length == 0 || !certificates.contains(chain[0])) {
              throw new CertificateException(
                  "the node shows a certificate that is not in " + Tls.CERTIFICATE);
            }
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
              throws CertificateException {
            checkServerTrusted(chain, authType);
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
              throws CertificateException {
            checkServerTrusted(chain, authType);
          }

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType)
              throws CertificateException {
            throw new CertificateException("the health command is a client");
          }

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
              throws CertificateException {
            checkClientTrusted(chain, authType);
          }

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
              throws CertificateException {
            checkClientTrusted(chain, authType);
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS", e);
    }
  }

  private static String port(Map<String, String> env) {
    String port = env.get("MICRONAUT_SERVER_PORT");
    return port == null || port.isBlank() ? "8181" : port.strip();
  }
}
