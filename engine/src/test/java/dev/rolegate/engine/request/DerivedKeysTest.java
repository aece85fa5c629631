package dev.rolegate.engine.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** forAction derives the same keys as Principal.derivedContext(), and callers override them. */
class DerivedKeysTest {
  @Test
  void forActionCarriesExactlyThePrincipalsDerivedKeys() {
    for (String arn :
        List.of(
            "arn:aws:iam::111122223333:user/division/alice",
            "arn:aws:sts::111122223333:assumed-role/Deployer/run-1")) {
      Principal p = Principal.parse(arn).orElseThrow();
      assertEquals(
          p.derivedContext(), RequestContext.forAction("iam:PassRole", p, Map.of()).asMap(), arn);
    }
  }

  @Test
  void aCallerKeyReplacesADerivedKeyOfAnotherSpelling() {
    Principal p = Principal.parse("arn:aws:iam::111122223333:user/alice").orElseThrow();
    RequestContext c =
        RequestContext.forAction(
            "ec2:RunInstances",
            p,
            Map.of("AWS:PrincipalType", List.of("Other"), "s3:prefix", List.of("x")));
    assertEquals("AWS:PrincipalType", c.spelling("aws:principaltype"));
    assertEquals("Other", c.singleValue("aws:principaltype"));
    assertEquals(null, c.values("s3:prefix"));
    assertEquals(4, c.asMap().size());
  }
}
