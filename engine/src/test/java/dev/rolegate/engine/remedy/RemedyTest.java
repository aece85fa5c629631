package dev.rolegate.engine.remedy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolegate.engine.cases.CaseEntry;
import dev.rolegate.engine.cases.CaseReader;
import dev.rolegate.engine.cases.OperationCase;
import dev.rolegate.engine.eval.Decision;
import dev.rolegate.engine.eval.Layer;
import dev.rolegate.engine.eval.PolicySet;
import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.PrincipalPolicies;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.operation.InstanceProfileOperation;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.policy.Statement;
import dev.rolegate.engine.request.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The remedy is right: applied where it says, it allows the request; it is least privilege. */
class RemedyTest {
  private static final String INSTANCE =
      "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
  private static final String ROLE = "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web";

  @Test
  void aUserWithNothingIsToldTheAssociationActionAndAScopedPassRole() {
    Principal bob = Principal.parse("arn:aws:iam::111122223333:user/bob").orElseThrow();
    InstanceProfileRequest request =
        new InstanceProfileRequest(
            bob,
            InstanceProfileOperation.ASSOCIATE,
            INSTANCE,
            Optional.of(ROLE),
            Map.of(),
            Optional.empty());
    InstanceProfileDecision d =
        InstanceProfileAuthorizer.authorize(request, PrincipalPolicies.identityOnly(List.of()));

    Remedy remedy = d.remedy().orElseThrow();
    assertTrue(remedy.fixableByAllow());
    assertEquals(
        List.of(
            new RemedyStatement(
                "AllowAssociateIamInstanceProfile",
                "ec2:AssociateIamInstanceProfile",
                INSTANCE,
                Map.of()),
            new RemedyStatement(
                "PassRoleToEc2",
                "iam:PassRole",
                ROLE,
                Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")))),
        remedy.statementsFor(Layer.IDENTITY, 0));
  }

  @Test
  void anAllowedRequestHasNoRemedy() throws Exception {
    OperationCase c = operationCase("op-associate-classic-allowed");
    assertTrue(InstanceProfileAuthorizer.authorize(c.request(), c.policies()).remedy().isEmpty());
  }

  @Test
  void anExplicitDenyNamesTheStatementInsteadOfAnAllow() throws Exception {
    OperationCase c = operationCase("op-group-deny-passrole");
    Remedy remedy = InstanceProfileAuthorizer.authorize(c.request(), c.policies()).remedy().get();
    assertFalse(remedy.fixableByAllow());
    assertEquals(1, remedy.requiredChanges().size());
    RequiredChange change = remedy.requiredChanges().get(0);
    assertEquals(Optional.of("NoPassRole"), change.statement().sid());
    assertEquals("iam:PassRole", change.action());
  }

  @TestFactory
  Stream<DynamicTest> applyingTheRemedyAllowsEveryFixableDeniedCase() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (OperationCase c : operationCases()) {
      InstanceProfileDecision before =
          InstanceProfileAuthorizer.authorize(c.request(), c.policies());
      if (before.remedy().isEmpty() || !before.remedy().get().fixableByAllow()) {
        continue;
      }
      tests.add(
          DynamicTest.dynamicTest(
              c.id(),
              () -> {
                PrincipalPolicies fixed = apply(c.policies(), before.remedy().get());
                InstanceProfileDecision after =
                    InstanceProfileAuthorizer.authorize(c.request(), fixed);
                assertEquals(Decision.ALLOWED, after.decision(), after.explanation());
              }));
    }
    assertTrue(tests.size() >= 5, "too few fixable cases to be a check: " + tests.size());
    return tests.stream();
  }

  /** Adds each grant to its layer: a new identity policy, or statements appended elsewhere. */
  static PrincipalPolicies apply(PrincipalPolicies policies, Remedy remedy) {
    List<SourcedPolicy> identity = new ArrayList<>(policies.identityPolicies());
    List<RemedyStatement> identityGrants = remedy.statementsFor(Layer.IDENTITY, 0);
    if (!identityGrants.isEmpty()) {
      identity.add(SourcedPolicy.of("remedy", PolicySourceType.USER, document(identityGrants)));
    }
    Optional<SourcedPolicy> boundary =
        policies
            .boundary()
            .map(b -> extend(b, remedy.statementsFor(Layer.PERMISSIONS_BOUNDARY, 0)));
    List<List<SourcedPolicy>> levels = new ArrayList<>();
    for (PolicySet level : policies.serviceControlLevels()) {
      List<SourcedPolicy> scps = new ArrayList<>(level.policies());
      List<RemedyStatement> grants = remedy.statementsFor(Layer.SERVICE_CONTROL, level.level());
      if (!grants.isEmpty()) {
        scps.add(SourcedPolicy.of("remedy", PolicySourceType.SERVICE_CONTROL, document(grants)));
      }
      levels.add(scps);
    }
    Optional<SourcedPolicy> session =
        policies.session().map(s -> extend(s, remedy.statementsFor(Layer.SESSION, 0)));
    return PrincipalPolicies.of(identity, boundary, levels, session);
  }

  private static SourcedPolicy extend(PolicySet set, List<RemedyStatement> grants) {
    SourcedPolicy only = set.policies().get(0);
    List<Statement> statements = new ArrayList<>(only.document().statements());
    for (Statement s : document(grants).statements()) {
      statements.add(
          new Statement(
              statements.size(),
              s.sid(),
              s.effect(),
              s.action(),
              s.resource(),
              s.principal(),
              s.conditions()));
    }
    return new SourcedPolicy(
        only.id(),
        only.type(),
        only.versionId(),
        new PolicyDocument(only.document().language(), only.document().id(), statements));
  }

  /** The grants as a policy document, through the parser, as a person would paste them. */
  static PolicyDocument document(List<RemedyStatement> grants) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = json.createObjectNode().put("Version", "2012-10-17");
    ArrayNode list = doc.putArray("Statement");
    for (RemedyStatement s : grants) {
      ObjectNode n =
          list.addObject()
              .put("Sid", s.sid())
              .put("Effect", "Allow")
              .put("Action", s.action())
              .put("Resource", s.resource());
      if (!s.condition().isEmpty()) {
        n.set("Condition", json.valueToTree(s.condition()));
      }
    }
    return ((ParseResult.Parsed) PolicyParser.parse(doc, PolicyKind.IDENTITY)).document();
  }

  static List<OperationCase> operationCases() throws Exception {
    List<OperationCase> out = new ArrayList<>();
    Path file = Path.of("src/test/resources/conformance/operations.json");
    for (CaseEntry e : CaseReader.read(new ObjectMapper().readTree(file.toFile()))) {
      out.add(((CaseEntry.ValidOperation) e).operationCase());
    }
    return out;
  }

  static OperationCase operationCase(String id) throws Exception {
    return operationCases().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }
}
