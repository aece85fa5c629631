package dev.rolegate.api.problem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;

/**
 * Problems for requests that reach no controller method: unknown paths, wrong methods or media
 * types, parameters that do not convert.
 */
@Controller
public class RoutingErrors {

  @Error(status = HttpStatus.NOT_FOUND, global = true)
  public HttpResponse<ObjectNode> notFound(HttpRequest<?> request) {
    String path = request.getPath();
    return ProblemJson.response(
        ErrorCode.NOT_FOUND,
        "no resource at `" + path + (path.startsWith("/v1/") ? "`" : "`; the API is under /v1"));
  }

  /**
   * A bare 400 from the server. Micronaut answers a request it cannot read as HTTP (two
   * Content-Lengths, a space in a header's name) in its own format unless a route handles the
   * status; with this one, the reader's failure reaches the exception handlers instead, where
   * {@link ProblemHandlers.FallbackHandler} names it. Any other bare 400 gets this problem.
   */
  @Error(status = HttpStatus.BAD_REQUEST, global = true)
  public HttpResponse<ObjectNode> badRequest(HttpRequest<?> request) {
    return ProblemJson.response(ErrorCode.INVALID_REQUEST, "the request could not be read");
  }

  @Error(status = HttpStatus.METHOD_NOT_ALLOWED, global = true)
  public HttpResponse<ObjectNode> methodNotAllowed(HttpRequest<?> request) {
    return ProblemJson.response(
        ErrorCode.METHOD_NOT_ALLOWED,
        "`" + request.getMethodName() + "` is not allowed on `" + request.getPath() + "`");
  }

  @Error(status = HttpStatus.UNSUPPORTED_MEDIA_TYPE, global = true)
  public HttpResponse<ObjectNode> unsupportedMediaType(HttpRequest<?> request) {
    return ProblemJson.response(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "send the body as application/json, not `"
            + request.getContentType().map(Object::toString).orElse("no content type")
            + "`");
  }

  @Error(status = HttpStatus.NOT_ACCEPTABLE, global = true)
  public HttpResponse<ObjectNode> notAcceptable(HttpRequest<?> request) {
    return ProblemJson.response(ErrorCode.NOT_ACCEPTABLE, "rolegate answers application/json only");
  }

  @Error(status = HttpStatus.REQUEST_ENTITY_TOO_LARGE, global = true)
  public HttpResponse<ObjectNode> tooLarge(HttpRequest<?> request) {
    return ProblemJson.response(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large");
  }

  @Error(exception = ConversionErrorException.class, global = true)
  public HttpResponse<ObjectNode> conversion(HttpRequest<?> request, ConversionErrorException e) {
    return ProblemJson.response(
        ErrorCode.INVALID_PARAMETER,
        "`"
            + e.getArgument().getName()
            + "` has an invalid value: "
            + e.getConversionError().getCause().getMessage());
  }

  @Error(exception = UnsatisfiedRouteException.class, global = true)
  public HttpResponse<ObjectNode> unsatisfied(HttpRequest<?> request, UnsatisfiedRouteException e) {
    return ProblemJson.response(
        ErrorCode.INVALID_REQUEST,
        "`" + e.getArgument().getName() + "` is missing from the request");
  }
}
