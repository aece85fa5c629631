package dev.rolegate.api.imports;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Inputs for the import tests (unit tests here and the HTTP tests in {@code api.http}): the stored
 * fixtures and ways to re-encode them.
 */
public final class Fixtures {
  public static final String ACCOUNT = "111122223333";

  /** Strict like the reader, so a typo in a fixture cannot hide behind a duplicate key. */
  public static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private static final Path DIRECTORY = Path.of("src/test/resources/imports");
  private static final Set<String> DOCUMENT_FIELDS =
      Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");

  private Fixtures() {}

  /** The three ways the same output reaches rolegate (iam-reference §5, "Encoding"). */
  public enum Encoding {
    /** The AWS CLI decodes documents into nested objects. */
    OBJECTS(UnaryOperator.identity()),
    /** Some tools write each document as a string holding its JSON. */
    JSON_STRINGS(text -> text),
    /** The raw API (and the Java SDK) return documents percent-encoded. */
    PERCENT_ENCODED(Fixtures::percentEncode);

    private final UnaryOperator<String> encode;

    Encoding(UnaryOperator<String> encode) {
      this.encode = encode;
    }

    /** {@code root} with its policy documents in this encoding (a copy unless OBJECTS). */
    public JsonNode apply(JsonNode root) {
      return this == OBJECTS ? root : withDocuments(root, encode);
    }
  }

  /**
   * The same document for another account: every occurrence of {@link #ACCOUNT} (ARNs inside and
   * outside the policy documents) becomes {@code accountId}. Apply before re-encoding.
   */
  public static JsonNode forAccount(JsonNode root, String accountId) {
    try {
      return JSON.readTree(JSON.writeValueAsString(root).replace(ACCOUNT, accountId));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode load(String name) {
    try {
      return JSON.readTree(DIRECTORY.resolve(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON written with single quotes, so that test inputs need no escaping. */
  public static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }

  static ImportResult.Read read(JsonNode root) {
    return assertInstanceOf(
        ImportResult.Read.class, AuthorizationDetailsReader.read(root, ACCOUNT), "import failed");
  }

  /** A copy of {@code root} with every policy document replaced by {@code encode} of its text. */
  public static JsonNode withDocuments(JsonNode root, UnaryOperator<String> encode) {
    JsonNode copy = root.deepCopy();
    encodeDocuments(copy, encode);
    return copy;
  }

  private static void encodeDocuments(JsonNode node, UnaryOperator<String> encode) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (DOCUMENT_FIELDS.contains(field.getKey()) && field.getValue().isObject()) {
          field.setValue(TextNode.valueOf(encode.apply(pretty(field.getValue()))));
        } else {
          encodeDocuments(field.getValue(), encode);
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> encodeDocuments(element, encode));
    }
  }

  /** Documents keep the layout their author gave them; IAM does not reformat them. */
  public static String pretty(JsonNode document) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters, as IAM returns it. */
  public static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
