package dev.rolegate.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A small HTTP client for the tests: every call returns status, headers and JSON body. */
public final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** The same server with another token (null: no Authorization header). */
  public Api as(String otherToken) {
    return new Api(base, otherToken);
  }

  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    public String code() {
      return json.path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  /**
   * GETs the path every 100 ms until the answer satisfies {@code until}, for at most 20 s; answers
   * the last one, satisfied or not, for the caller to assert on.
   */
  public Response getUntil(String path, Predicate<Response> until) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    Response r = get(path);
    while (!until.test(r) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      r = get(path);
    }
    return r;
  }

  public Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  public Response put(String path, String body) {
    return send("PUT", path, body, Map.of());
  }

  public Response post(String path, String body) {
    return send("POST", path, body, Map.of());
  }

  public Response send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::setHeader);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      // Every answer is JSON but the metrics, which are text.
      boolean text = r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain");
      JsonNode json = r.body().isBlank() || text ? JSON.nullNode() : JSON.readTree(r.body());
      return new Response(r.statusCode(), r, json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
