package dev.rolegate.api.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.persistence.store.StoreException;
import dev.rolegate.persistence.store.StoreFailure;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.BufferLengthExceededHandler;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.URISyntaxHandler;
import io.micronaut.http.server.netty.AbstractNettyHttpRequest;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every exception that leaves a controller into a problem+json answer. */
public final class ProblemHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

  private ProblemHandlers() {}

  @Singleton
  @Produces
  public static class ApiProblemHandler
      implements ExceptionHandler<ApiProblem, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, ApiProblem e) {
      return ProblemJson.response(e);
    }
  }

  @Singleton
  @Produces
  public static class StoreHandler
      implements ExceptionHandler<StoreException, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, StoreException e) {
      ErrorCode code =
          switch (e.error()) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case PRECONDITION_FAILED -> ErrorCode.PRECONDITION_FAILED;
            case DELETE_CONFLICT -> ErrorCode.DELETE_CONFLICT;
            case LIMIT_EXCEEDED -> ErrorCode.LIMIT_EXCEEDED;
            case UNKNOWN_REFERENCE -> ErrorCode.UNKNOWN_REFERENCE;
          };
      return ProblemJson.response(code, e.getMessage());
    }
  }

  @Singleton
  @Produces
  public static class StoreFailureHandler
      implements ExceptionHandler<StoreFailure, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, StoreFailure e) {
      if (holdsNul(e)) {
        return nulRefused();
      }
      LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
      return ProblemJson.response(
          ErrorCode.DATABASE_UNAVAILABLE, "the database cannot be reached; retry shortly");
    }
  }

  /**
   * A body larger than the server takes, said with the limit and the settings that raise it (an
   * account's authorization details can be large). Replaces Micronaut's own handler, which answered
   * in its own format; with both present, a body over the limit got a 500.
   */
  @Singleton
  @Produces
  @Replaces(ContentLengthExceededHandler.class)
  public static class TooLargeHandler
      implements ExceptionHandler<ContentLengthExceededException, HttpResponse<ObjectNode>> {
    private final long limit;

    public TooLargeHandler(@Value("${micronaut.server.max-request-size}") long limit) {
      this.limit = limit;
    }

    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, ContentLengthExceededException e) {
      return tooLarge(limit);
    }
  }

  /** The same for a body past the size the server buffers (all of rolegate's bodies are). */
  @Singleton
  @Produces
  @Replaces(BufferLengthExceededHandler.class)
  public static class BufferTooLargeHandler
      implements ExceptionHandler<BufferLengthExceededException, HttpResponse<ObjectNode>> {
    private final long limit;

    public BufferTooLargeHandler(@Value("${micronaut.server.max-request-buffer-size}") long limit) {
      this.limit = limit;
    }

    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, BufferLengthExceededException e) {
      return tooLarge(limit);
    }
  }

  static HttpResponse<ObjectNode> tooLarge(long limit) {
    return ProblemJson.response(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "the request body is larger than this server takes ("
            + limit
            + " bytes); an operator can raise MICRONAUT_SERVER_MAX_REQUEST_SIZE and"
            + " MICRONAUT_SERVER_MAX_REQUEST_BUFFER_SIZE together");
  }

  /**
   * A request line or headers longer than the server reads, refused by Netty's decoder before any
   * route is found (a GET whose query holds a long OPA `input`, a huge cookie): said with the
   * limit, instead of the 500 it was.
   */
  @Singleton
  @Produces
  public static class TooLongLineHandler
      implements ExceptionHandler<TooLongFrameException, HttpResponse<ObjectNode>> {
    private final int maxLine;
    private final int maxHeaders;

    public TooLongLineHandler(
        @Value("${micronaut.server.netty.max-initial-line-length:4096}") int maxLine,
        @Value("${micronaut.server.netty.max-header-size:8192}") int maxHeaders) {
      this.maxLine = maxLine;
      this.maxHeaders = maxHeaders;
    }

    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, TooLongFrameException e) {
      if (e instanceof TooLongHttpLineException) {
        return ProblemJson.response(
            ErrorCode.URI_TOO_LONG,
            "the request line is longer than this server reads ("
                + maxLine
                + " bytes); send a long decision request as a POST body");
      }
      if (e instanceof TooLongHttpHeaderException) {
        return ProblemJson.response(
            ErrorCode.HEADERS_TOO_LARGE,
            "the request's headers are larger than this server reads (" + maxHeaders + " bytes)");
      }
      return ProblemJson.response(
          ErrorCode.PAYLOAD_TOO_LARGE, "the request is larger than this server reads");
    }
  }

  /**
   * A URL that is not one (a `%` not followed by two hexadecimal digits, a space), refused before
   * any route is found: said as a problem like every other refusal, not in Micronaut's own format.
   */
  @Singleton
  @Produces
  @Replaces(URISyntaxHandler.class)
  public static class MalformedUrlHandler
      implements ExceptionHandler<URISyntaxException, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, URISyntaxException e) {
      return ProblemJson.response(
          ErrorCode.INVALID_REQUEST,
          "the request's URL is malformed: "
              + e.getReason()
              + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "")
              + "; a literal `%` is sent as `%25`");
    }
  }

  /**
   * A body whose {@code Content-Encoding} says it is compressed when it is not (or is damaged): the
   * server cannot expand it. The client's mistake, so a 400, not the 500 it was.
   */
  @Singleton
  @Produces
  public static class NotCompressedHandler
      implements ExceptionHandler<DecompressionException, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, DecompressionException e) {
      // The server drops the header once it starts expanding, so it is usually gone here.
      String encoding = request.getHeaders().get("Content-Encoding");
      return ProblemJson.response(
          ErrorCode.INVALID_REQUEST,
          "the body cannot be expanded as its Content-Encoding"
              + (encoding == null ? "" : " (`" + encoding + "`)")
              + " says: send it compressed that way, or without the header");
    }
  }

  /**
   * Whether PostgreSQL refused a text for holding U+0000 (NUL), which its text types cannot keep
   * (SQLSTATE 22021 on a parameter, 22P05 inside JSON): a value the client sent, in a write or a
   * filter, and no sign that the database is away, which is what a 503 would say.
   */
  static boolean holdsNul(Throwable e) {
    return hasCause(
        e,
        t ->
            t instanceof SQLException sql
                && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState())));
  }

  /** Whether {@code e} or any of its causes is one {@code test} accepts. */
  static boolean hasCause(Throwable e, Predicate<Throwable> test) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }

  static HttpResponse<ObjectNode> nulRefused() {
    return ProblemJson.response(
        ErrorCode.INVALID_REQUEST,
        "a value holds the character U+0000 (NUL), which the store can neither keep nor search"
            + " for: remove it");
  }

  /** Anything else is rolegate's fault: logged in full, answered without internals. */
  @Singleton
  @Produces
  public static class FallbackHandler
      implements ExceptionHandler<RuntimeException, HttpResponse<ObjectNode>> {
    @Override
    public HttpResponse<ObjectNode> handle(HttpRequest request, RuntimeException e) {
      // What the server's HTTP reader refused (see RoutingErrors.badRequest) is the client's.
      if (request instanceof AbstractNettyHttpRequest<?> netty
          && netty.getNettyRequest().decoderResult().cause() == e) {
        return ProblemJson.response(
            ErrorCode.INVALID_REQUEST, "the request is not valid HTTP: " + e.getMessage());
      }
      if (holdsNul(e)) {
        return nulRefused();
      }
      if (hasCause(e, SQLException.class::isInstance)) {
        LOG.warn(
            "{} {}: database failure: {}", request.getMethod(), request.getPath(), e.toString());
        return ProblemJson.response(
            ErrorCode.DATABASE_UNAVAILABLE, "the database cannot be reached; retry shortly");
      }
      LOG.error("{} {} failed", request.getMethod(), request.getPath(), e);
      return ProblemJson.response(
          ErrorCode.INTERNAL_ERROR, "rolegate failed to answer; the error is in its log");
    }
  }
}
