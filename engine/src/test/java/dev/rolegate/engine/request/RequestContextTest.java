package dev.rolegate.engine.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestContextTest {
  private static final Principal ALICE =
      Principal.parse("arn:aws:iam::111122223333:user/division/alice").orElseThrow();
  private static final Principal SESSION =
      Principal.parse("arn:aws:sts::111122223333:assumed-role/Deployer/run-1").orElseThrow();

  @Test
  void principalsAreParsed() {
    Principal.IamUser user = assertInstanceOf(Principal.IamUser.class, ALICE);
    assertEquals("alice", user.name());
    assertEquals("/division/", user.path());
    Principal.RoleSession s = assertInstanceOf(Principal.RoleSession.class, SESSION);
    assertEquals("arn:aws:iam::111122223333:role/Deployer", s.roleArn());
    assertTrue(Principal.parse("arn:aws:iam::111122223333:role/Deployer").isEmpty());
    assertTrue(Principal.parse("arn:aws:iam::1111:user/alice").isEmpty());
  }

  @Test
  void principalKeysAreDerivedAndCallerKeysOverrideThem() {
    RequestContext c =
        RequestContext.forAction(
            "ec2:AssociateIamInstanceProfile", ALICE, Map.of("AWS:USERNAME", List.of("other")));
    assertEquals("other", c.singleValue("aws:username"));
    assertEquals("User", c.singleValue("aws:principaltype"));
    assertEquals("111122223333", c.singleValue("aws:principalaccount"));
    RequestContext s = RequestContext.forAction("iam:PassRole", SESSION, Map.of());
    assertNull(s.values("aws:username"));
    assertEquals("AssumedRole", s.singleValue("aws:principaltype"));
  }

  @Test
  void keysThatDoNotExistForTheActionAreDropped() {
    Map<String, List<String>> given =
        Map.of(
            "iam:PassedToService", List.of("ec2.amazonaws.com"),
            "ec2:ResourceTag/Env", List.of("prod"),
            "aws:SourceIp", List.of("10.0.0.1"));
    RequestContext ec2 = RequestContext.forAction("ec2:AssociateIamInstanceProfile", ALICE, given);
    assertNull(ec2.values("iam:passedtoservice"));
    assertEquals("prod", ec2.singleValue("ec2:resourcetag/env"));
    RequestContext pass = RequestContext.forAction("iam:PassRole", ALICE, given);
    assertEquals("ec2.amazonaws.com", pass.singleValue("iam:passedtoservice"));
    assertNull(pass.values("ec2:resourcetag/env"));
    RequestContext get = RequestContext.forAction("iam:GetRole", ALICE, given);
    assertNull(get.values("iam:passedtoservice"));
    assertEquals("10.0.0.1", get.singleValue("aws:sourceip"));
  }

  @Test
  void multivaluedKeysAreNoVariables() {
    RequestContext c = RequestContext.of(Map.of("aws:TagKeys", List.of("a", "b")));
    assertEquals(List.of("a", "b"), c.values("aws:tagkeys"));
    assertNull(c.singleValue("aws:tagkeys"));
  }
}
