package dev.rolegate.api.admin;

import dev.rolegate.api.decision.Queries;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;

/**
 * The admin API takes no query parameters. One that is sent (a {@code dryRun} a client expects to
 * be honoured, a misspelt filter) is refused rather than ignored, since the write it came with
 * would be made all the same.
 */
@ServerFilter({"/v1/accounts/**", "/v1/tokens/**"})
public class NoQueryParameters {
  @RequestFilter
  public void refuse(HttpRequest<?> request) {
    Queries.allowOnly(request.getParameters(), Set.of());
  }
}
