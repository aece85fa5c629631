package dev.rolegate.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.api.testing.Api;
import dev.rolegate.api.testing.Api.Response;
import dev.rolegate.api.testing.RunningService;
import dev.rolegate.engine.operation.InstanceProfileOperation;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's conformance corpus run again over HTTP (design.md, habit 5): each case's policies
 * are stored through the admin API in an account of its own (the case's account ids are rewritten
 * to fresh ones), then the decision API is asked and must answer the case's {@code expected}.
 * Operation cases are compared whole (decision and findings); single-check cases of the four
 * actions an operation checks are compared on that one check. A case the store cannot express
 * (SCPs, session policies, ...) is counted and printed with its reason, never dropped silently.
 */
class ConformanceOverHttpIT {
  /** The engine's corpus, read from the project tree (failsafe runs in the api module). */
  static final Path CORPUS = Path.of("../engine/src/test/resources/conformance");

  static final String EC2 = "ec2.amazonaws.com";
  static final Pattern USER = Pattern.compile("arn:aws:iam::(\\d{12}):user((?:/[^/]+)*/)([^/]+)");
  static final Pattern SESSION =
      Pattern.compile("arn:aws:sts::(\\d{12}):assumed-role/([^/]+)/([^/]+)");
  static final Pattern ROLE = Pattern.compile("arn:aws:iam::(\\d{12}):role(/(?:.*/)?)([^/]+)");
  static final Pattern PROFILE =
      Pattern.compile("arn:aws:iam::(\\d{12}):instance-profile(/(?:.*/)?)([^/]+)");
  static final Pattern ACCOUNT_IN_ARN = Pattern.compile("arn:aws:[a-z0-9-]*:[a-z0-9-]*:(\\d{12}):");
  static final Map<String, InstanceProfileOperation> EC2_ACTIONS =
      Map.of(
          "ec2:AssociateIamInstanceProfile", InstanceProfileOperation.ASSOCIATE,
          "ec2:ReplaceIamInstanceProfileAssociation", InstanceProfileOperation.REPLACE,
          "ec2:DisassociateIamInstanceProfile", InstanceProfileOperation.DISASSOCIATE);

  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static RunningService service;
  static Api api;
  static long nextAccount = 400_000_000_000L;

  @BeforeAll
  static void start() {
    service = RunningService.start();
    api = service.api();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  /** Cases run, skipped with a reason, and answered differently than expected. */
  static final class Tally {
    final String name;
    final List<String> ran = new ArrayList<>();
    final Map<String, String> skipped = new LinkedHashMap<>();
    final List<String> mismatches = new ArrayList<>();

    Tally(String name) {
      this.name = name;
    }

    void report() {
      StringBuilder out = new StringBuilder();
      out.append(name)
          .append(" over HTTP: ")
          .append(ran.size())
          .append(" ran, ")
          .append(mismatches.size())
          .append(" differ, ")
          .append(skipped.size())
          .append(" skipped\n");
      skipped.forEach(
          (id, reason) ->
              out.append("  skipped ").append(id).append(": ").append(reason).append('\n'));
      mismatches.forEach(m -> out.append("  DIFFERS ").append(m).append('\n'));
      System.out.print(out);
    }
  }

  /** Thrown while setting up a case the store cannot hold; the case is skipped with the reason. */
  static final class Unexpressible extends Exception {
    private static final long serialVersionUID = 1L;

    Unexpressible(String reason) {
      super(reason, null, false, false);
    }
  }

  @Test
  void operationCasesDecideOverHttpAsInTheEngine() throws IOException {
    Tally tally = new Tally("operations.json");
    for (JsonNode c : cases("operations.json")) {
      String id = c.get("id").asText();
      try {
        runOperationCase(localize(c), tally);
      } catch (Unexpressible e) {
        tally.skipped.put(id, e.getMessage());
      }
    }
    tally.report();
    assertTrue(tally.ran.size() >= 20, () -> "too few operation cases ran: " + tally.ran.size());
    assertEquals(List.of(), tally.mismatches);
  }

  @Test
  void singleChecksOfTheOperationsActionsDecideOverHttpAsInTheEngine() throws IOException {
    Tally tally = new Tally("single-check cases of the four actions");
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.equals("operations.json")) {
          continue;
        }
        for (JsonNode c : cases(name)) {
          String action = c.at("/request/action").asText();
          boolean relevant =
              action.equalsIgnoreCase("iam:PassRole")
                  || EC2_ACTIONS.keySet().stream().anyMatch(action::equalsIgnoreCase);
          if (!relevant) {
            continue;
          }
          String id = name + "/" + c.get("id").asText();
          try {
            runSingleCheckCase(id, localize(c), tally);
          } catch (Unexpressible e) {
            tally.skipped.put(id, e.getMessage());
          }
        }
      }
    }
    tally.report();
    assertTrue(
        tally.ran.size() >= 100, () -> "too few single-check cases ran: " + tally.ran.size());
    assertEquals(List.of(), tally.mismatches);
  }

  // ---- one case

  private static void runOperationCase(JsonNode c, Tally tally) throws Unexpressible {
    String id = c.get("id").asText();
    refuseWhatTheStoreCannotHold(c);
    JsonNode request = c.get("request");
    String principal = request.get("principal").asText();
    String account = principal.split(":")[4];
    boolean roleStored = false;
    if (c.hasNonNull("role")) {
      storeRole(account, request.get("roleArn").asText(), c.get("role"));
      roleStored = true;
    }
    storePrincipal(account, principal, c);
    storeScps(account, c);

    ObjectNode body = NODES.objectNode();
    body.put("principal", principal);
    body.set("operation", request.get("operation"));
    if (c.hasNonNull("sessionPolicy")) {
      body.set("sessionPolicy", unwrap(c.get("sessionPolicy")));
    }
    body.set("instanceArn", request.get("instanceArn"));
    if (request.hasNonNull("roleArn")) {
      body.set("roleArn", request.get("roleArn"));
    }
    if (request.hasNonNull("context")) {
      body.set("context", request.get("context"));
    }
    JsonNode answer = decide(body);
    tally.ran.add(id);

    String expected = c.get("expected").asText();
    String actual = answer.get("decision").asText();
    if (!expected.equals(actual)) {
      tally.mismatches.add(id + ": expected " + expected + ", got " + actual + ": " + answer);
      return;
    }
    if (c.has("expectedFindings")) {
      Set<String> want = new TreeSet<>();
      c.get("expectedFindings").forEach(f -> want.add(f.asText()));
      // The engine case describes the role only when it has a `role`; a role the store does not
      // hold is reported as such by the service, beside the engine's findings.
      if (request.hasNonNull("roleArn") && !roleStored) {
        want.add("role_unknown");
      }
      Set<String> got = new TreeSet<>();
      answer.get("findings").forEach(f -> got.add(f.get("code").asText()));
      if (!want.equals(got)) {
        tally.mismatches.add(id + ": expected findings " + want + ", got " + got + ": " + answer);
      }
    }
  }

  /**
   * A single check of {@code iam:PassRole} or an EC2 association action, asked as the operation
   * that makes that check; only that check's decision is compared. Maps only when the operation
   * would build the same request: the canonical action name, an instance ARN as resource, and for
   * PassRole the very context the operation supplies.
   */
  private static void runSingleCheckCase(String id, JsonNode c, Tally tally) throws Unexpressible {
    if (c.has("expectedError") || !c.hasNonNull("expected")) {
      throw new Unexpressible("an invalid-input case: it has no decision to compare");
    }
    refuseWhatTheStoreCannotHold(c);
    JsonNode request = c.get("request");
    String principal = request.get("principal").asText();
    String account = principal.split(":")[4];
    String action = request.get("action").asText();
    String resource = request.get("resource").asText();
    ObjectNode context =
        request.hasNonNull("context")
            ? (ObjectNode) request.get("context").deepCopy()
            : NODES.objectNode();

    ObjectNode body = NODES.objectNode();
    body.put("principal", principal);
    InstanceProfileOperation operation;
    String instanceArn;
    Optional<String> roleArn;
    if (action.equals("iam:PassRole")) {
      operation = InstanceProfileOperation.ASSOCIATE;
      String service = single(removeKey(context, "iam:PassedToService"));
      instanceArn = single(removeKey(context, "iam:AssociatedResourceArn"));
      if (!EC2.equals(service)) {
        throw new Unexpressible(
            "the operation always passes the role to ec2.amazonaws.com; the case passes it to "
                + service);
      }
      if (instanceArn == null) {
        throw new Unexpressible(
            "the operation always sets iam:AssociatedResourceArn; the case leaves it out");
      }
      Iterator<String> keys = context.fieldNames();
      while (keys.hasNext()) {
        String key = keys.next();
        if (key.toLowerCase(Locale.ROOT).startsWith("aws:resourcetag/")) {
          throw new Unexpressible(
              "the operation leaves the instance's aws:ResourceTag keys out of PassRole; the case"
                  + " has "
                  + key);
        }
      }
      roleArn = Optional.of(resource);
    } else if (EC2_ACTIONS.containsKey(action)) {
      operation = EC2_ACTIONS.get(action);
      instanceArn = resource;
      roleArn =
          operation.passesRole()
              ? Optional.of("arn:aws:iam::" + account + ":role/conformance-probe")
              : Optional.empty();
    } else {
      throw new Unexpressible(
          "the operation asks for `"
              + canonical(action)
              + "`, not `"
              + action
              + "`: a case about the request's spelling of the action does not map");
    }
    var problems = InstanceProfileRequest.validate(operation, instanceArn, roleArn);
    if (!problems.isEmpty()) {
      throw new Unexpressible("not an operation request: " + problems.get(0));
    }
    storePrincipal(account, principal, c);
    storeScps(account, c);
    body.put("operation", operation.wireName());
    if (c.hasNonNull("sessionPolicy")) {
      body.set("sessionPolicy", unwrap(c.get("sessionPolicy")));
    }
    body.put("instanceArn", instanceArn);
    roleArn.ifPresent(r -> body.put("roleArn", r));
    if (context.size() > 0) {
      body.set("context", context);
    }
    JsonNode answer = decide(body);
    tally.ran.add(id);

    JsonNode check = null;
    for (JsonNode ch : answer.get("checks")) {
      if (ch.get("action").asText().equals(action)) {
        check = ch;
      }
    }
    String expected = c.get("expected").asText();
    if (check == null) {
      tally.mismatches.add(id + ": no check of " + action + " in " + answer);
    } else if (!check.get("resource").asText().equals(resource)) {
      tally.mismatches.add(
          id + ": the check was on " + check.get("resource") + ", not " + resource);
    } else if (!check.get("decision").asText().equals(expected)) {
      tally.mismatches.add(
          id + ": expected " + expected + ", got " + check.get("decision") + ": " + check);
    }
  }

  private static String canonical(String action) {
    if (action.equalsIgnoreCase("iam:PassRole")) {
      return "iam:PassRole";
    }
    return EC2_ACTIONS.keySet().stream()
        .filter(action::equalsIgnoreCase)
        .findFirst()
        .orElse(action);
  }

  private static void refuseWhatTheStoreCannotHold(JsonNode c) throws Unexpressible {
    for (JsonNode level : scpLevels(c)) {
      if (level.isEmpty() || level.size() > 5) {
        throw new Unexpressible(
            "an SCP level of " + level.size() + " policies: the store takes 1 to 5 per level");
      }
    }
    String principal = c.at("/request/principal").asText();
    if (!USER.matcher(principal).matches() && !SESSION.matcher(principal).matches()) {
      throw new Unexpressible("the principal `" + principal + "` is neither a user nor a session");
    }
  }

  // ---- storing a case through the admin API

  /**
   * The principal with the case's policies: identity policies alternate between customer managed
   * policies attached to the principal and inline policies of it; a policy named {@code group/...}
   * becomes an inline policy of a group the user is in; the boundary is a managed policy.
   */
  private static void storePrincipal(String account, String principal, JsonNode c)
      throws Unexpressible {
    String base = "/v1/accounts/" + account;
    Matcher user = USER.matcher(principal);
    Matcher session = SESSION.matcher(principal);
    boolean isUser = user.matches();
    if (!isUser && !session.matches()) {
      throw new Unexpressible("the principal `" + principal + "` is neither a user nor a session");
    }
    ObjectNode entity = NODES.objectNode();
    ArrayNode attached = entity.putArray("attachedPolicies");
    ObjectNode inline = entity.putObject("inlinePolicies");
    ArrayNode groups = NODES.arrayNode();
    JsonNode identity = c.get("identityPolicies");
    for (int i = 0; i < identity.size(); i++) {
      JsonNode policy = identity.get(i);
      String label = policy.path("name").asText("");
      JsonNode document = unwrap(policy);
      if (isUser && label.startsWith("group/")) {
        String group = "group-" + i;
        ObjectNode g = NODES.objectNode();
        g.putObject("inlinePolicies").set("policy-" + i, document);
        write(base + "/groups/" + group, g, "identityPolicies[" + i + "] as a group policy");
        groups.add(group);
      } else if (i % 2 == 0) {
        String name = "identity-" + i;
        ObjectNode p = NODES.objectNode();
        p.set("document", document);
        write(base + "/policies/" + name, p, "identityPolicies[" + i + "] as a managed policy");
        attached.add("arn:aws:iam::" + account + ":policy/" + name);
      } else {
        inline.set("inline-" + i, document);
      }
    }
    JsonNode boundaries = c.get("permissionBoundaries");
    if (boundaries != null && boundaries.isArray() && boundaries.size() > 0) {
      ObjectNode p = NODES.objectNode();
      p.set("document", unwrap(boundaries.get(0)));
      write(base + "/policies/boundary-0", p, "permissionBoundaries[0] as a managed policy");
      entity.put("permissionsBoundary", "arn:aws:iam::" + account + ":policy/boundary-0");
    }
    if (isUser) {
      entity.put("path", user.group(2));
      entity.set("groups", groups);
      write(base + "/users/" + user.group(3), entity, "the user");
    } else {
      entity.set("trustPolicy", trustAccount(account));
      write(base + "/roles/" + session.group(2), entity, "the session's role");
    }
  }

  /** The case's {@code scps}: a flat list is one level, a list of lists one level per list. */
  private static List<JsonNode> scpLevels(JsonNode c) {
    JsonNode scps = c.get("scps");
    List<JsonNode> levels = new ArrayList<>();
    if (scps == null || !scps.isArray() || scps.isEmpty()) {
      return levels;
    }
    if (scps.get(0).isArray()) {
      scps.forEach(levels::add);
    } else {
      levels.add(scps);
    }
    return levels;
  }

  /** The case's SCP levels as the account's service control policies. */
  private static void storeScps(String account, JsonNode c) throws Unexpressible {
    List<JsonNode> levels = scpLevels(c);
    if (levels.isEmpty()) {
      return;
    }
    ObjectNode body = NODES.objectNode();
    ArrayNode out = body.putArray("levels");
    for (int l = 0; l < levels.size(); l++) {
      ArrayNode level = out.addArray();
      for (int i = 0; i < levels.get(l).size(); i++) {
        level
            .addObject()
            .put("name", "scp-" + l + "-" + i)
            .set("document", unwrap(levels.get(l).get(i)));
      }
    }
    write("/v1/accounts/" + account + "/service-control-policies", body, "the SCP levels");
  }

  /** The case's {@code role}: trust policy, tags, and the instance profiles that hold it. */
  private static void storeRole(String account, String roleArn, JsonNode role)
      throws Unexpressible {
    Matcher m = ROLE.matcher(roleArn);
    if (!m.matches() || !m.group(1).equals(account)) {
      throw new Unexpressible("the role `" + roleArn + "` is not one of the principal's account");
    }
    String base = "/v1/accounts/" + account;
    ObjectNode entity = NODES.objectNode();
    entity.put("path", m.group(2));
    entity.set(
        "trustPolicy",
        role.hasNonNull("trustPolicy") ? role.get("trustPolicy") : trustAccount(account));
    if (role.hasNonNull("tags")) {
      entity.set("tags", role.get("tags"));
    }
    write(base + "/roles/" + m.group(3), entity, "the role");
    for (JsonNode profile : role.path("instanceProfiles")) {
      Matcher p = PROFILE.matcher(profile.asText());
      if (!p.matches() || !p.group(1).equals(account)) {
        throw new Unexpressible("`" + profile.asText() + "` is not an instance profile ARN");
      }
      ObjectNode body = NODES.objectNode();
      body.put("path", p.group(2));
      body.put("role", m.group(3));
      write(base + "/instance-profiles/" + p.group(3), body, "instance profile " + p.group(3));
    }
  }

  private static ObjectNode trustAccount(String account) {
    ObjectNode trust = NODES.objectNode();
    trust.put("Version", "2012-10-17");
    ObjectNode statement = trust.putArray("Statement").addObject();
    statement.put("Effect", "Allow");
    statement.putObject("Principal").put("AWS", "arn:aws:iam::" + account + ":root");
    statement.put("Action", "sts:AssumeRole");
    return trust;
  }

  /** A PUT that must succeed; a refusal means the store cannot hold what the engine accepted. */
  private static void write(String path, JsonNode body, String what) throws Unexpressible {
    Response r = api.put(path, body.toString());
    if (r.status() == 400) {
      throw new Unexpressible(
          "the admin API refuses " + what + ": " + r.json().path("message").asText());
    }
    assertEquals(200, r.status(), () -> "PUT " + path + ": " + r);
  }

  private static JsonNode decide(ObjectNode body) throws Unexpressible {
    Response r = api.post("/v1/decisions/instance-profile", body.toString());
    if (r.status() == 400) {
      throw new Unexpressible(
          "the decision API refuses the request: " + r.json().path("message").asText());
    }
    assertEquals(200, r.status(), () -> "decision for " + body + ": " + r);
    return r.json();
  }

  // ---- reading cases

  private static List<JsonNode> cases(String file) throws IOException {
    JsonNode root = JSON.readTree(CORPUS.resolve(file).toFile());
    List<JsonNode> out = new ArrayList<>();
    root.get("cases").forEach(out::add);
    assertTrue(out.size() > 0, file + " has no cases");
    return out;
  }

  /**
   * The case moved to accounts of its own: every account id that appears in an ARN of the case is
   * replaced, everywhere in the case, by a fresh one, so cases cannot see each other's entities.
   */
  private static JsonNode localize(JsonNode c) {
    String text = c.toString();
    Matcher m = ACCOUNT_IN_ARN.matcher(text);
    Map<String, String> fresh = new LinkedHashMap<>();
    while (m.find()) {
      fresh.computeIfAbsent(m.group(1), a -> Long.toString(nextAccount++));
    }
    for (Map.Entry<String, String> e : fresh.entrySet()) {
      text = text.replace(e.getKey(), e.getValue());
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode unwrap(JsonNode policy) {
    return policy.isObject() && policy.has("policy") && !policy.has("Statement")
        ? policy.get("policy")
        : policy;
  }

  /** Removes {@code key} (any case) from the context and returns its value. */
  private static JsonNode removeKey(ObjectNode context, String key) {
    Iterator<String> names = context.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.equalsIgnoreCase(key)) {
        return context.remove(name);
      }
    }
    return null;
  }

  private static String single(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isArray()) {
      return value.size() == 1 ? value.get(0).asText() : value.toString();
    }
    return value.asText();
  }
}
