package dev.rolegate.engine.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitsAndNamesTest {

  @Test
  void sizeIsCountedWithoutWhitespace() {
    assertEquals(7, PolicyLimits.sizeWithoutWhitespace("{ \"a\" :\n\t1 }"));
    String doc = "{\"Statement\": " + "x".repeat(2_040) + "}";
    assertTrue(
        PolicyLimits.sizeProblem(doc, PolicyLimits.USER_INLINE_TOTAL, "the policy").isPresent());
    assertTrue(PolicyLimits.sizeProblem("{ }", PolicyLimits.USER_INLINE_TOTAL, "x").isEmpty());
  }

  @Test
  void charactersOutsideLatin1AreRefused() {
    assertTrue(PolicyLimits.characterProblem("{\"Sid\": \"caf\u00e9\"}").isEmpty());
    Optional<Problem> p = PolicyLimits.characterProblem("{\"Sid\": \"\u2603\"}");
    assertTrue(p.orElseThrow().message().contains("U+2603"), p.toString());
    assertTrue(PolicyLimits.characterProblem("a\u0001").isPresent());
    assertTrue(PolicyLimits.characterProblem("x".repeat(131_073)).isPresent());
    // Uncapped (an AWS managed policy): any length, the same characters.
    assertTrue(PolicyLimits.characterProblem("x".repeat(131_073), false).isEmpty());
    assertTrue(PolicyLimits.characterProblem("{\"Sid\": \"\u2603\"}", false).isPresent());
  }

  @Test
  void namesFollowIamPatternsAndLengths() {
    assertTrue(IamNames.nameProblem(IamNames.Kind.ROLE, "EC2-roles-for-XYZ-web").isEmpty());
    assertTrue(IamNames.nameProblem(IamNames.Kind.USER, "a+b=c,d.e@f_g-h").isEmpty());
    assertTrue(IamNames.nameProblem(IamNames.Kind.USER, "x".repeat(65)).isPresent());
    assertTrue(IamNames.nameProblem(IamNames.Kind.GROUP, "x".repeat(128)).isEmpty());
    assertTrue(IamNames.nameProblem(IamNames.Kind.GROUP, "x".repeat(129)).isPresent());
    assertTrue(IamNames.nameProblem(IamNames.Kind.USER, "has space").isPresent());
    assertTrue(IamNames.nameProblem(IamNames.Kind.INLINE_POLICY, "").isPresent());
    assertEquals(IamNames.uniquenessKey("ADMINS"), IamNames.uniquenessKey("admins"));
  }

  @Test
  void pathsBeginAndEndWithASlash() {
    assertTrue(IamNames.pathProblem("/").isEmpty());
    assertTrue(IamNames.pathProblem("/division_abc/subdivision_xyz/").isEmpty());
    assertTrue(IamNames.pathProblem("/no-trailing").isPresent());
    assertTrue(IamNames.pathProblem("relative/").isPresent());
    assertTrue(IamNames.pathProblem("/" + "a".repeat(511) + "/").isPresent());
  }

  @Test
  void versionIdsLookLikeV1() {
    assertTrue(IamNames.versionIdProblem("v1").isEmpty());
    assertTrue(IamNames.versionIdProblem("v12.beta-1").isEmpty());
    assertTrue(IamNames.versionIdProblem("v0").isPresent());
    assertTrue(IamNames.versionIdProblem("1").isPresent());
  }
}
