package dev.rolegate.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a client reads when its JSON cannot be read: what and where, not the reader's code. */
class StrictJsonTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":1}{}|the body is not valid JSON at line 1, column 8: more JSON after the value:"
            + " send one value",
        "/*x*/{}|the body is not valid JSON at line 1, column 1: Unexpected character ('/' (code"
            + " 47)): a comment, which JSON does not have",
        "{\"a\":|the body is not valid JSON at line 1, column 6: Unexpected end-of-input within/between"
            + " Object entries",
        "{\"a\":[1|the body is not valid JSON at line 1, column 8: Unexpected end-of-input: expected"
            + " close marker for Array (start marker at line: 1, column: 6)",
        "{\"a\":NaN}|the body is not valid JSON at line 1, column 9: Non-standard token 'NaN'",
        "{\"a\":1,\"a\":2}|the body is not valid JSON at line 1, column 11: Duplicate field 'a'",
      })
  void malformedJsonIsDescribedWithoutTheReadersCode(String body, String message) {
    ApiProblem p = assertThrows(ApiProblem.class, () -> StrictJson.parse(body));
    assertEquals(ErrorCode.MALFORMED_JSON, p.code());
    assertEquals(message, p.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1"})
  void limitsAreNamedByWhatTheyLimit(String body) {
    ApiProblem p = assertThrows(ApiProblem.class, () -> StrictJson.parse(body));
    assertFalse(p.getMessage().contains("`"), p.getMessage());
    assertEquals(
        "the body is not valid JSON: Document nesting depth (65) exceeds the"
            + " maximum allowed (64)",
        p.getMessage());
  }
}
