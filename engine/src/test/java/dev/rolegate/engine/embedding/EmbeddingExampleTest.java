package dev.rolegate.engine.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.engine.eval.Decision;
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
import dev.rolegate.engine.request.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's example of embedding the engine, compiled and run here, so that an integration that
 * copies it gets what the README says; the second test fails when the README's text and this one's
 * part apart.
 */
class EmbeddingExampleTest {
  private static final Path SELF =
      Path.of("src/test/java/dev/rolegate/engine/embedding/EmbeddingExampleTest.java");
  private static final Path README = Path.of("../README.md");

  /** The policy the example parses: the seed thread's grant, EC2 actions and PassRole to EC2. */
  private static final String POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "InstanceProfileOps", "Effect": "Allow",
         "Action": ["ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation"],
         "Resource": "*"},
        {"Sid": "PassXYZRoles", "Effect": "Allow", "Action": "iam:PassRole",
         "Resource": "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*",
         "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}
      """;

  @Test
  void theExampleDecides() {
    String json = POLICY;
    // README begin
    PolicyDocument doc =
        switch (PolicyParser.parse(json, PolicyKind.IDENTITY)) {
          case ParseResult.Parsed p -> p.document();
          case ParseResult.Invalid i -> throw new IllegalArgumentException(i.problems().toString());
        };
    PrincipalPolicies policies =
        PrincipalPolicies.of(
            List.of(
                SourcedPolicy.of(
                    "arn:aws:iam::111122223333:policy/Ops", PolicySourceType.USER_MANAGED, doc)),
            Optional.empty(), // permissions boundary
            List.of(), // SCP levels, root first
            Optional.empty()); // session policy
    InstanceProfileRequest request =
        new InstanceProfileRequest(
            Principal.parse("arn:aws:iam::111122223333:user/alice").orElseThrow(),
            InstanceProfileOperation.ASSOCIATE,
            "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0",
            Optional.of("arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web"),
            Map.of("aws:SourceIp", List.of("203.0.113.7")),
            Optional.empty()); // RoleFacts: trust policy, instance profiles, tags
    InstanceProfileDecision d = InstanceProfileAuthorizer.authorize(request, policies);
    // README end
    assertTrue(d.allowed(), d::toString);
    assertEquals(Decision.ALLOWED, d.decision());
    assertEquals(2, d.checks().size());
    assertEquals("iam:PassRole", d.checks().get(1).action());
  }

  @Test
  void theReadmeShowsThisExample() throws IOException {
    Matcher here =
        Pattern.compile("// README begin\\n(.*?)\\n\\s*// README end", Pattern.DOTALL)
            .matcher(Files.readString(SELF));
    assertTrue(here.find(), "markers in " + SELF);
    String example = here.group(1).stripIndent().strip();
    String readme = Files.readString(README);
    int section = readme.indexOf("## Embedding the engine");
    Matcher block =
        Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(readme)
            .region(section, readme.length());
    assertTrue(section >= 0 && block.find(), "the README's embedding example");
    assertEquals(example, block.group(1).strip());
  }
}
