package dev.rolegate.engine.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allocation-free prefix test agrees with lower-casing the whole text. */
class PrefixTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws:ResourceTag/Env",
        "AWS:RESOURCETAG/x",
        "aws:resourcetag/",
        "aws:resourcetag",
        "aws:SourceIp",
        "",
        "iam:ResourceTag/team",
        "aws:reſourcetag/x",
        "İaws:resourcetag/x",
        "aws:resourcetag/İ",
        "aws:ResourceTag\u212A"
      })
  void agreesWithLowerCasing(String key) {
    for (String prefix : new String[] {"aws:resourcetag/", "iam:resourcetag/"}) {
      assertEquals(
          key.toLowerCase(Locale.ROOT).startsWith(prefix),
          InstanceProfileAuthorizer.startsWithLowerCase(key, prefix),
          key);
    }
  }
}
