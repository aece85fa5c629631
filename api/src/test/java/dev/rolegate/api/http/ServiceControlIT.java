package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.DemoAccount;
import dev.rolegate.api.testing.RunningService;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SCP levels stored per account decide with the identity policies, and survive an import. */
class ServiceControlIT {
  static final String SCPS = "/v1/accounts/111122223333/service-control-policies";
  static final String ALLOW_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final String EC2_ONLY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}]}";

  static RunningService service;
  static Api api;
  static String demo;

  @BeforeAll
  static void start() throws IOException {
    service = RunningService.start();
    api = service.api();
    demo = DemoAccount.text();
    DemoAccount.importInto(api);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  static String levels(String... perLevel) {
    StringBuilder b = new StringBuilder("{\"levels\":[");
    for (int i = 0; i < perLevel.length; i++) {
      b.append(i == 0 ? "" : ",")
          .append("[{\"name\":\"L")
          .append(i)
          .append("\",\"document\":")
          .append(perLevel[i])
          .append("}]");
    }
    return b.append("]}").toString();
  }

  static Response attachWeb() {
    return api.post(
        "/v1/decisions/instance-profile",
        DecisionApiIT.request("associate", DecisionApiIT.WEB_ROLE));
  }

  @Test
  void anOrganizationLevelWithoutPassRoleDeniesTheAttachButNotTheDetach() {
    assertTrue(attachWeb().json().get("allowed").asBoolean());
    Response put = api.put(SCPS, levels(ALLOW_ALL, EC2_ONLY));
    assertEquals(200, put.status(), put::toString);
    String etag = put.header("ETag").orElseThrow();

    Response denied = attachWeb();
    assertEquals("implicitDeny", denied.json().get("decision").asText(), denied::toString);
    JsonNode passRole = denied.json().get("checks").get(1);
    assertFalse(passRole.get("allowedByOrganizations").asBoolean());
    assertTrue(denied.json().get("checks").get(0).get("allowedByOrganizations").asBoolean());
    boolean scpRemedy = false;
    for (JsonNode r : denied.json().get("remedyByLayer")) {
      scpRemedy |= r.get("layer").asText().equals("scp");
    }
    assertTrue(scpRemedy, () -> denied.json().get("remedyByLayer").toString());
    Response detach =
        api.post("/v1/decisions/instance-profile", DecisionApiIT.request("disassociate", null));
    assertTrue(detach.json().get("allowed").asBoolean());

    // An import replaces IAM entities, not the organization's levels.
    assertEquals(200, api.put("/v1/accounts/111122223333/authorization-details", demo).status());
    assertEquals("implicitDeny", attachWeb().json().get("decision").asText());
    Response read = api.get(SCPS);
    assertEquals(2, read.json().get("levels").size());
    assertEquals(etag, read.header("ETag").orElseThrow());

    Response stale = api.send("PUT", SCPS, levels(ALLOW_ALL), Map.of("If-Match", "\"1\""));
    assertEquals(412, stale.status(), stale::toString);
    assertEquals(200, api.send("PUT", SCPS, "{\"levels\":[]}", Map.of("If-Match", etag)).status());
    assertTrue(attachWeb().json().get("allowed").asBoolean());
  }

  @Test
  void badLevelsAreRefusedWithTheirPathAndStoreNothing() {
    long revision = service.count("SELECT revision FROM store_revision");
    Response empty = api.put(SCPS, "{\"levels\":[[]]}");
    assertEquals(400, empty.status());
    assertEquals("levels[0]", empty.json().get("path").asText());
    Response badDoc =
        api.put(
            SCPS,
            "{\"levels\":[[{\"name\":\"x\",\"document\":{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}}]]}");
    assertEquals(400, badDoc.status());
    assertEquals("invalid_policy", badDoc.code());
    assertTrue(
        badDoc.json().get("path").asText().startsWith("levels[0][0].document.Statement[0]"),
        badDoc::toString);
    assertEquals(revision, service.count("SELECT revision FROM store_revision"));
  }
}
