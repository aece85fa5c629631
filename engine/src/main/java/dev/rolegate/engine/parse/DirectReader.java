package dev.rolegate.engine.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.ConditionOperator;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.ResourceClause;
import dev.rolegate.engine.policy.Statement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a plain, valid identity, boundary, SCP or session policy straight from its text, token by
 * token, into the same document {@link PolicyParser} makes, without building a JSON tree first.
 * Why: a node loading a large account parses every stored policy (a million statements), and
 * building the trees was a fifth of that work, with their garbage.
 *
 * <p>It takes only what it knows to be the plain case: string values, the statement elements
 * without a principal, no key given twice, and values that pass the parser's own checks. For
 * anything else it answers null and the caller parses the tree, which reports each problem with its
 * place, so the answer for any text is the parser's.
 */
final class DirectReader {
  private static final JsonFactory JSON = new JsonFactory();

  private DirectReader() {}

  /**
   * The document, or null when the text is not a plain valid policy of a kind without principals.
   */
  static PolicyDocument read(String text, PolicyKind kind, PartPool pool) {
    return read(text, kind, pool, false);
  }

  /**
   * As {@link #read(String, PolicyKind, PartPool)}; {@code stored}: read back from the store,
   * taking what {@link PolicyParser#parseStored(String, PolicyKind, PartPool)} takes.
   */
  static PolicyDocument read(String text, PolicyKind kind, PartPool pool, boolean stored) {
    if (kind.requiresPrincipal()) {
      return null;
    }
    try (JsonParser p = JSON.createParser(text)) {
      PolicyDocument document = document(p, pool);
      return document != null && p.nextToken() == null && valid(document, stored) ? document : null;
    } catch (IOException malformed) {
      return null;
    }
  }

  private static PolicyDocument document(JsonParser p, PartPool pool) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String version = null;
    String id = null;
    List<Statement> statements = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      // A name given twice finds its value already read.
      switch (name) {
        case "Version" -> {
          if (value != JsonToken.VALUE_STRING || version != null) {
            return null;
          }
          version = p.getText();
        }
        case "Id" -> {
          if (value != JsonToken.VALUE_STRING || id != null) {
            return null;
          }
          id = p.getText();
        }
        case "Statement" -> {
          if (statements != null) {
            return null;
          }
          statements = statements(p, value, pool);
          if (statements == null) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    PolicyLanguage language =
        version == null
            ? PolicyLanguage.UNSPECIFIED
            : switch (version) {
              case "2012-10-17" -> PolicyLanguage.V2012_10_17;
              case "2008-10-17" -> PolicyLanguage.V2008_10_17;
              default -> null;
            };
    if (statements == null || language == null) {
      return null;
    }
    return new PolicyDocument(language, Optional.ofNullable(id), statements);
  }

  /** One statement object, or a non-empty array of them. */
  private static List<Statement> statements(JsonParser p, JsonToken first, PartPool pool)
      throws IOException {
    List<Statement> out = new ArrayList<>();
    if (first == JsonToken.START_OBJECT) {
      Statement s = statement(p, 0, pool);
      if (s == null) {
        return null;
      }
      out.add(s);
      return out;
    }
    if (first != JsonToken.START_ARRAY) {
      return null;
    }
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      Statement s = statement(p, out.size(), pool);
      if (s == null) {
        return null;
      }
      out.add(s);
    }
    return t == JsonToken.END_ARRAY && !out.isEmpty() ? out : null;
  }

  private static Statement statement(JsonParser p, int index, PartPool pool) throws IOException {
    Optional<String> sid = Optional.empty();
    Effect effect = null;
    ActionClause action = null;
    ResourceClause resource = null;
    List<Condition> conditions = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      // A name given twice finds its element already read (a statement is read for each of a
      // million statements: no set of the names seen).
      switch (name) {
        case "Sid" -> {
          if (value != JsonToken.VALUE_STRING || sid.isPresent()) {
            return null;
          }
          sid = Optional.of(pool.shared(p.getText()));
        }
        case "Effect" -> {
          if (value != JsonToken.VALUE_STRING || effect != null) {
            return null;
          }
          effect = effect(p.getText());
          if (effect == null) {
            return null;
          }
        }
        case "Action", "NotAction" -> {
          List<String> patterns = strings(p, value, pool);
          if (patterns == null || action != null) {
            return null;
          }
          action =
              name.equals("Action")
                  ? new ActionClause.Listed(patterns)
                  : new ActionClause.Excluded(patterns);
        }
        case "Resource", "NotResource" -> {
          List<String> patterns = strings(p, value, pool);
          if (patterns == null || resource != null) {
            return null;
          }
          resource =
              name.equals("Resource")
                  ? new ResourceClause.Listed(patterns)
                  : new ResourceClause.Excluded(patterns);
        }
        case "Condition" -> {
          if (conditions != null) {
            return null;
          }
          conditions = conditions(p, value, pool);
          if (conditions == null) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    if (effect == null || action == null || resource == null) {
      return null;
    }
    return pool.statement(
        index,
        sid,
        effect,
        action,
        resource,
        Optional.empty(),
        conditions == null ? List.of() : conditions);
  }

  private static Effect effect(String text) {
    return switch (text) {
      case "Allow" -> Effect.ALLOW;
      case "Deny" -> Effect.DENY;
      default -> null;
    };
  }

  /** A string or a non-empty array of strings, each from the pool. */
  private static List<String> strings(JsonParser p, JsonToken first, PartPool pool)
      throws IOException {
    if (first == JsonToken.VALUE_STRING) {
      return List.of(pool.shared(p.getText()));
    }
    if (first != JsonToken.START_ARRAY) {
      return null;
    }
    List<String> out = new ArrayList<>(4);
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
      out.add(pool.shared(p.getText()));
    }
    return t == JsonToken.END_ARRAY && !out.isEmpty() ? out : null;
  }

  /** Operators, each a non-empty object of keys to strings. */
  private static List<Condition> conditions(JsonParser p, JsonToken first, PartPool pool)
      throws IOException {
    if (first != JsonToken.START_OBJECT) {
      return null;
    }
    List<Condition> out = new ArrayList<>(2);
    List<String> operators = new ArrayList<>(2);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      Optional<ConditionOperator> operator = ConditionOperator.parse(name);
      if (p.nextToken() != JsonToken.START_OBJECT
          || operator.isEmpty()
          || operators.contains(name)) {
        return null;
      }
      operators.add(name);
      int from = out.size();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        List<String> values = strings(p, p.nextToken(), pool);
        if (values == null || given(key, out, from)) {
          return null;
        }
        out.add(new Condition(operator.get(), pool.shared(key), values));
      }
      if (out.size() == from) {
        return null;
      }
    }
    return out;
  }

  /** Whether the key is among the conditions from {@code from} on: those of one operator. */
  private static boolean given(String key, List<Condition> conditions, int from) {
    for (int i = from; i < conditions.size(); i++) {
      if (conditions.get(i).key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every value passes the parser's checks, which depend on the language (read wherever the
   * text has it): actions, resources, condition values, and Sids, unique where given.
   */
  private static boolean valid(PolicyDocument document, boolean stored) {
    PolicyLanguage language = document.language();
    Set<String> sids = null;
    for (Statement s : document.statements()) {
      String sid = s.sid().orElse("");
      if (!PolicyParser.isSid(sid)) {
        return false;
      }
      if (!sid.isEmpty()) {
        sids = sids == null ? new HashSet<>() : sids;
        if (!sids.add(sid)) {
          return false;
        }
      }
      for (String a : s.action().patterns()) {
        if (!a.equals("*")
            && (!PolicyParser.isAction(a)
                || !stored && PolicyParser.serviceWildcardProblem(a).isPresent())) {
          return false;
        }
      }
      for (String r : s.resource().patterns()) {
        if (PolicyParser.resourceProblem(r, language).isPresent()) {
          return false;
        }
      }
      for (Condition c : s.conditions()) {
        for (String v : c.values()) {
          if (PolicyParser.valueProblem(c.operator(), v, language).isPresent()) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
