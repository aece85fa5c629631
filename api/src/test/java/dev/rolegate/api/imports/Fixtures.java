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

/** Inputs for the import tests: the stored fixtures and ways to re-encode them. */
final class Fixtures {
  static final String ACCOUNT = "111122223333";

  /** Strict like the reader, so a typo in a fixture cannot hide behind a duplicate key. */
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private static final Path DIRECTORY = Path.of("src/test/resources/imports");
  private static final Set<String> DOCUMENT_FIELDS =
      Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");

  private Fixtures() {}

  static JsonNode load(String name) {
    try {
      return JSON.readTree(DIRECTORY.resolve(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON written with single quotes, so that test inputs need no escaping. */
  static JsonNode json(String singleQuoted) {
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
  static JsonNode withDocuments(JsonNode root, UnaryOperator<String> encode) {
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
  static String pretty(JsonNode document) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters, as IAM returns it. */
  static String percentEncode(String text) {
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
