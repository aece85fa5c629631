package dev.rolegate.api.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code health [readiness|liveness|all|URL]}: asks a running node's health probe, for a
 * container's health check where the image has no HTTP client (see deploy/Dockerfile). By default
 * the node on this machine, at {@code MICRONAUT_SERVER_PORT} (8181), and its readiness. Exit codes:
 * 0 the probe answered 200, 1 it answered anything else or could not be reached, 2 the command line
 * is unusable.
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
    URI uri;
    try {
      uri =
          PROBES.containsKey(which)
              ? URI.create("http://127.0.0.1:" + port(env) + PROBES.get(which))
              : URI.create(which);
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
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    try {
      HttpResponse<String> r =
          client.send(
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

  private static String port(Map<String, String> env) {
    String port = env.get("MICRONAUT_SERVER_PORT");
    return port == null || port.isBlank() ? "8181" : port.strip();
  }
}
