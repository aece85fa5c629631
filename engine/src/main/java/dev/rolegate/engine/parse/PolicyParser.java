package dev.rolegate.engine.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rolegate.engine.condition.CompiledCondition;
import dev.rolegate.engine.condition.DateValue;
import dev.rolegate.engine.condition.IpRange;
import dev.rolegate.engine.match.ArnPattern;
import dev.rolegate.engine.policy.ActionClause;
import dev.rolegate.engine.policy.Condition;
import dev.rolegate.engine.policy.ConditionOperator;
import dev.rolegate.engine.policy.ConditionOperator.ArnTest;
import dev.rolegate.engine.policy.ConditionOperator.BinaryTest;
import dev.rolegate.engine.policy.ConditionOperator.BoolTest;
import dev.rolegate.engine.policy.ConditionOperator.DateTest;
import dev.rolegate.engine.policy.ConditionOperator.IpTest;
import dev.rolegate.engine.policy.ConditionOperator.NullTest;
import dev.rolegate.engine.policy.ConditionOperator.NumericTest;
import dev.rolegate.engine.policy.ConditionOperator.StringTest;
import dev.rolegate.engine.policy.Effect;
import dev.rolegate.engine.policy.PolicyDocument;
import dev.rolegate.engine.policy.PolicyKind;
import dev.rolegate.engine.policy.PolicyLanguage;
import dev.rolegate.engine.policy.PrincipalClause;
import dev.rolegate.engine.policy.ResourceClause;
import dev.rolegate.engine.policy.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and validates IAM JSON policy documents (iam-reference §2). Never throws on bad input:
 * every problem is collected with its JSON path.
 */
public final class PolicyParser {
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_ELEMENTS =
      Set.of(
          "Sid",
          "Effect",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Principal",
          "NotPrincipal",
          "Condition");
  private static final Set<String> PRINCIPAL_TYPES =
      Set.of("AWS", "Service", "Federated", "CanonicalUser");

  private PolicyParser() {}

  /**
   * Parses policy text. A key repeated inside one element is refused, as IAM does; malformed JSON
   * is reported with its line and column.
   */
  public static ParseResult parse(String json, PolicyKind kind) {
    return parseTree(json, kind, PartPool.NONE, false);
  }

  /**
   * Parses policy text, its parts shared through the pool with those of the other documents parsed
   * with it. A plain valid policy is read straight from the text ({@link DirectReader}), which is
   * much cheaper for a store that loads many; any other text is parsed as {@link #parse(String,
   * PolicyKind)} does, so the answer, and each problem reported, is the same.
   */
  public static ParseResult parse(String json, PolicyKind kind, PartPool pool) {
    return parse(json, kind, pool, false);
  }

  /**
   * Parses policy text read back from rolegate's store, as {@link #parse(String, PolicyKind,
   * PartPool)} does, but taking what earlier versions of rolegate stored and IAM refuses: an action
   * with a wildcard in its service prefix (see {@link #serviceWildcardProblem}). Refusing it here
   * would leave that policy out of every decision, and a Deny left out allows more.
   */
  public static ParseResult parseStored(String json, PolicyKind kind, PartPool pool) {
    return parse(json, kind, pool, true);
  }

  /** As {@link #parseStored(String, PolicyKind, PartPool)}, for a policy given as a JSON tree. */
  public static ParseResult parseStored(JsonNode root, PolicyKind kind) {
    return parse(root, kind, PartPool.NONE, true);
  }

  private static ParseResult parse(String json, PolicyKind kind, PartPool pool, boolean stored) {
    PolicyDocument direct = DirectReader.read(json, kind, pool, stored);
    return direct != null ? new ParseResult.Parsed(direct) : parseTree(json, kind, pool, stored);
  }

  private static ParseResult parseTree(
      String json, PolicyKind kind, PartPool pool, boolean stored) {
    JsonNode node;
    try {
      node = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      return new ParseResult.Invalid(
          List.of(new Problem("", "malformed JSON" + where + ": " + e.getOriginalMessage())));
    }
    if (node == null || node.isMissingNode()) {
      return new ParseResult.Invalid(List.of(new Problem("", "the policy document is empty")));
    }
    return parse(node, kind, pool, stored);
  }

  /** Parses a policy given as a JSON tree. */
  public static ParseResult parse(JsonNode root, PolicyKind kind) {
    return parse(root, kind, PartPool.NONE);
  }

  /**
   * Parses a policy given as a JSON tree, its clauses, Sids and condition lists shared through the
   * pool with those of the other documents parsed with it.
   */
  public static ParseResult parse(JsonNode root, PolicyKind kind, PartPool pool) {
    return parse(root, kind, pool, false);
  }

  private static ParseResult parse(JsonNode root, PolicyKind kind, PartPool pool, boolean stored) {
    List<Problem> problems = new ArrayList<>();
    if (!root.isObject()) {
      problems.add(new Problem("", "a policy must be a JSON object, not " + describe(root)));
      return new ParseResult.Invalid(problems);
    }
    unknownElements(root, TOP_LEVEL, "", "policy", problems);

    PolicyLanguage language = PolicyLanguage.UNSPECIFIED;
    JsonNode version = root.get("Version");
    if (version != null) {
      if (version.isTextual() && version.asText().equals("2012-10-17")) {
        language = PolicyLanguage.V2012_10_17;
      } else if (version.isTextual() && version.asText().equals("2008-10-17")) {
        language = PolicyLanguage.V2008_10_17;
      } else {
        problems.add(
            new Problem(
                "Version",
                "`"
                    + text(version)
                    + "` is not a policy language version: use `2012-10-17` (or `2008-10-17`)"));
      }
    }
    Optional<String> id = Optional.empty();
    JsonNode idNode = root.get("Id");
    if (idNode != null) {
      if (idNode.isTextual()) {
        id = Optional.of(idNode.asText());
      } else {
        problems.add(new Problem("Id", "`Id` must be a string"));
      }
    }

    List<Statement> statements = new ArrayList<>();
    JsonNode statementNode = root.get("Statement");
    if (statementNode == null) {
      problems.add(new Problem("", "the policy has no `Statement`"));
    } else if (statementNode.isObject()) {
      statement(statementNode, 0, "Statement", kind, language, pool, stored, statements, problems);
    } else if (statementNode.isArray()) {
      if (statementNode.isEmpty()) {
        problems.add(new Problem("Statement", "`Statement` must hold at least one statement"));
      }
      for (int i = 0; i < statementNode.size(); i++) {
        statement(
            statementNode.get(i),
            i,
            "Statement[" + i + "]",
            kind,
            language,
            pool,
            stored,
            statements,
            problems);
      }
    } else {
      problems.add(
          new Problem(
              "Statement",
              "`Statement` must be an object or an array of objects, not "
                  + describe(statementNode)));
    }
    if (kind != PolicyKind.TRUST && kind != PolicyKind.RESOURCE) {
      Set<String> sids = new HashSet<>();
      for (Statement s : statements) {
        s.sid()
            .filter(sid -> !sid.isEmpty() && !sids.add(sid))
            .ifPresent(
                sid ->
                    problems.add(
                        new Problem(
                            statementPath(statementNode, s.index()) + ".Sid",
                            "statement id `"
                                + sid
                                + "` is used twice: each `Sid` must be unique")));
      }
    }
    if (!problems.isEmpty()) {
      return new ParseResult.Invalid(problems);
    }
    return new ParseResult.Parsed(new PolicyDocument(language, id, statements));
  }

  private static String statementPath(JsonNode statementNode, int index) {
    return statementNode != null && statementNode.isObject()
        ? "Statement"
        : "Statement[" + index + "]";
  }

  private static void statement(
      JsonNode node,
      int index,
      String path,
      PolicyKind kind,
      PolicyLanguage language,
      PartPool pool,
      boolean stored,
      List<Statement> out,
      List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(new Problem(path, "a statement must be a JSON object, not " + describe(node)));
      return;
    }
    int before = problems.size();
    unknownElements(node, STATEMENT_ELEMENTS, path, "statement", problems);

    Optional<String> sid = Optional.empty();
    JsonNode sidNode = node.get("Sid");
    if (sidNode != null) {
      if (!sidNode.isTextual()) {
        problems.add(new Problem(path + ".Sid", "`Sid` must be a string"));
      } else {
        sid = Optional.of(sidNode.asText());
        boolean strict = kind != PolicyKind.TRUST && kind != PolicyKind.RESOURCE;
        if (strict && !isSid(sidNode.asText())) {
          problems.add(
              new Problem(
                  path + ".Sid",
                  "statement id `"
                      + sidNode.asText()
                      + "` may hold only ASCII letters and digits"));
        }
      }
    }

    Effect effect = null;
    JsonNode effectNode = node.get("Effect");
    if (effectNode == null) {
      problems.add(new Problem(path, "the statement has no `Effect`: use `Allow` or `Deny`"));
    } else if (effectNode.isTextual() && effectNode.asText().equals("Allow")) {
      effect = Effect.ALLOW;
    } else if (effectNode.isTextual() && effectNode.asText().equals("Deny")) {
      effect = Effect.DENY;
    } else {
      problems.add(
          new Problem(
              path + ".Effect",
              "`"
                  + text(effectNode)
                  + "` is not an effect: use `Allow` or `Deny` (case-sensitive)"));
    }

    ActionClause action = null;
    JsonNode actionNode = node.get("Action");
    JsonNode notActionNode = node.get("NotAction");
    if (actionNode != null && notActionNode != null) {
      problems.add(new Problem(path, "a statement has either `Action` or `NotAction`, not both"));
    } else if (actionNode == null && notActionNode == null) {
      problems.add(new Problem(path, "the statement has no `Action` or `NotAction`"));
    } else {
      String element = actionNode != null ? "Action" : "NotAction";
      List<String> patterns =
          strings(actionNode != null ? actionNode : notActionNode, path + "." + element, problems);
      for (int i = 0; i < patterns.size(); i++) {
        String a = patterns.get(i);
        String at = elementPath(path, element, actionNode != null ? actionNode : notActionNode, i);
        if (!a.equals("*") && !isAction(a)) {
          problems.add(
              new Problem(
                  at,
                  "`" + a + "` is not an action: write `service:ActionName` (wildcards allowed)"));
        } else if (!stored) {
          serviceWildcardProblem(a).ifPresent(m -> problems.add(new Problem(at, m)));
        }
      }
      action =
          actionNode != null
              ? new ActionClause.Listed(patterns)
              : new ActionClause.Excluded(patterns);
    }

    ResourceClause resource = null;
    JsonNode resourceNode = node.get("Resource");
    JsonNode notResourceNode = node.get("NotResource");
    if (resourceNode != null && notResourceNode != null) {
      problems.add(
          new Problem(path, "a statement has either `Resource` or `NotResource`, not both"));
    } else if (resourceNode == null && notResourceNode == null) {
      if (kind == PolicyKind.TRUST) {
        resource = new ResourceClause.Listed(List.of("*"));
      } else {
        problems.add(new Problem(path, "the statement has no `Resource` or `NotResource`"));
      }
    } else {
      String element = resourceNode != null ? "Resource" : "NotResource";
      JsonNode valueNode = resourceNode != null ? resourceNode : notResourceNode;
      List<String> patterns = strings(valueNode, path + "." + element, problems);
      for (int i = 0; i < patterns.size(); i++) {
        String where = elementPath(path, element, valueNode, i);
        resourceProblem(patterns.get(i), language)
            .ifPresent(m -> problems.add(new Problem(where, m)));
      }
      resource =
          resourceNode != null
              ? new ResourceClause.Listed(patterns)
              : new ResourceClause.Excluded(patterns);
    }

    Optional<PrincipalClause> principal = principal(node, path, kind, problems);
    List<Condition> conditions = conditions(node.get("Condition"), path, language, problems);

    if (problems.size() == before) {
      out.add(pool.statement(index, sid, effect, action, resource, principal, conditions));
    }
  }

  private static String elementPath(String path, String element, JsonNode value, int i) {
    return value.isArray() ? path + "." + element + "[" + i + "]" : path + "." + element;
  }

  /**
   * A Sid: ASCII letters and digits only. Checked by hand rather than with a regular expression:
   * loading an account parses every statement of it, and the expressions were a tenth of that.
   */
  static boolean isSid(String sid) {
    for (int i = 0; i < sid.length(); i++) {
      if (!isLetterOrDigit(sid.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * An action pattern {@code service:Name}: the service of ASCII letters, digits, {@code -} and
   * wildcards (which a written document may not hold, {@link #serviceWildcardProblem}), one colon,
   * and a name of anything but a colon, not empty. IAM's own error says only that an action "can
   * contain only one colon", and AWS has published managed policies whose names hold spaces or
   * hyphens ({@code "ec2: DescribeAccountAttributes"}, {@code "lambda:ListFunctions "}, {@code
   * "config:select-resource-config"}): an import of an account that holds them must not fail. Such
   * a name is matched as written, ignoring case, so it grants nothing AWS would not.
   */
  static boolean isAction(String action) {
    int colon = action.indexOf(':');
    if (colon <= 0 || colon == action.length() - 1 || action.indexOf(':', colon + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < colon; i++) {
      char c = action.charAt(i);
      if (!isLetterOrDigit(c) && c != '*' && c != '?' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * Why IAM refuses an action pattern with a wildcard in its service prefix ({@code *:*}, {@code
   * i?m:PassRole}); it answers "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards".
   * Only {@code "*"} stands for every service. Empty for any other pattern.
   */
  static Optional<String> serviceWildcardProblem(String action) {
    int colon = action.indexOf(':');
    for (int i = 0; i < colon; i++) {
      char c = action.charAt(i);
      if (c == '*' || c == '?') {
        return Optional.of(
            "`"
                + action
                + "` has a wildcard in its service prefix, which IAM refuses: name the service"
                + " (`iam:PassRole`, `ec2:*`), or write `*` for every action of every service");
      }
    }
    return Optional.empty();
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  static Optional<String> resourceProblem(String r, PolicyLanguage language) {
    if (r.equals("*")) {
      return Optional.empty();
    }
    // "arn", the partition and the service, then at least one more part: IAM takes shorter ARNs
    // such as `arn:aws:logs:*`, whose last `*` stands for the rest (see ArnPattern.resource). A
    // colon inside a variable (`${aws:PrincipalAccount}`) cuts nothing.
    boolean variables = language.hasVariables();
    int[] colons = new int[5];
    int cut = 0;
    for (int from = 0; cut < colons.length; cut++) {
      int c = ArnPattern.nextCut(r, from, variables);
      if (c < 0) {
        break;
      }
      colons[cut] = c;
      from = c + 1;
    }
    if (cut < 3 || colons[0] != 3 || !r.startsWith("arn")) {
      return notAnArn(r);
    }
    for (int i = colons[1] + 1; i < colons[2]; i++) {
      if (r.charAt(i) == '*' || r.charAt(i) == '?') {
        return Optional.of("`" + r + "`: the service part of a resource ARN takes no wildcard");
      }
    }
    if (variables && r.substring(colons[1] + 1, colons[2]).contains("${")) {
      return Optional.of(
          "`"
              + r
              + "`: policy variables are allowed in an ARN's partition, region, account and"
              + " resource parts, not in its service");
    }
    return Optional.empty();
  }

  private static Optional<String> notAnArn(String r) {
    return Optional.of(
        "`"
            + r
            + "` is not a resource: write `*` or an ARN (`arn:partition:service:region:account:"
            + "resource`, or shorter, such as `arn:aws:logs:*`)");
  }

  private static Optional<PrincipalClause> principal(
      JsonNode statement, String path, PolicyKind kind, List<Problem> problems) {
    JsonNode principal = statement.get("Principal");
    JsonNode notPrincipal = statement.get("NotPrincipal");
    if (principal == null && notPrincipal == null) {
      if (kind.requiresPrincipal()) {
        problems.add(
            new Problem(path, "a trust or resource policy statement must name a `Principal`"));
      }
      return Optional.empty();
    }
    String element = principal != null ? "Principal" : "NotPrincipal";
    if (!kind.requiresPrincipal()) {
      problems.add(
          new Problem(
              path + "." + element,
              "`" + element + "` is not allowed in an identity-based policy"));
      return Optional.empty();
    }
    if (principal != null && notPrincipal != null) {
      problems.add(
          new Problem(path, "a statement has either `Principal` or `NotPrincipal`, not both"));
      return Optional.empty();
    }
    if (notPrincipal != null && kind == PolicyKind.TRUST) {
      problems.add(
          new Problem(path + ".NotPrincipal", "`NotPrincipal` is not allowed in a trust policy"));
      return Optional.empty();
    }
    JsonNode value = principal != null ? principal : notPrincipal;
    String p = path + "." + element;
    Map<String, List<String>> map = new LinkedHashMap<>();
    if (value.isTextual()) {
      if (!value.asText().equals("*")) {
        problems.add(
            new Problem(p, "a principal is `*` or an object such as {\"Service\": \"...\"}"));
      }
      map.put("*", List.of("*"));
    } else if (value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!PRINCIPAL_TYPES.contains(f.getKey())) {
          problems.add(
              new Problem(
                  p + "." + f.getKey(),
                  "`"
                      + f.getKey()
                      + "` is not a principal type: use `AWS`, `Service`, `Federated` or `CanonicalUser`"));
          continue;
        }
        List<String> ids = strings(f.getValue(), p + "." + f.getKey(), problems);
        if (f.getKey().equals("AWS") && ids.contains("*")) {
          map.put("*", List.of("*"));
        }
        map.put(f.getKey(), ids);
      }
    } else {
      problems.add(new Problem(p, "a principal is `*` or an object, not " + describe(value)));
    }
    return Optional.of(new PrincipalClause(notPrincipal != null, map));
  }

  private static List<Condition> conditions(
      JsonNode node, String path, PolicyLanguage language, List<Problem> problems) {
    if (node == null) {
      return List.of();
    }
    String p = path + ".Condition";
    if (!node.isObject()) {
      problems.add(new Problem(p, "`Condition` must be an object, not " + describe(node)));
      return List.of();
    }
    List<Condition> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> operators = node.fields();
    while (operators.hasNext()) {
      Map.Entry<String, JsonNode> op = operators.next();
      String opPath = p + "." + op.getKey();
      Optional<ConditionOperator> operator = ConditionOperator.parse(op.getKey());
      if (operator.isEmpty()) {
        problems.add(new Problem(opPath, unknownOperator(op.getKey())));
        continue;
      }
      if (!op.getValue().isObject()) {
        problems.add(
            new Problem(
                opPath,
                "an operator takes an object of condition keys to values, not "
                    + describe(op.getValue())));
        continue;
      }
      if (op.getValue().isEmpty()) {
        problems.add(new Problem(opPath, "an operator needs at least one condition key"));
        continue;
      }
      Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields();
      while (keys.hasNext()) {
        Map.Entry<String, JsonNode> key = keys.next();
        String keyPath = opPath + "." + key.getKey();
        List<String> values = scalars(key.getValue(), keyPath, problems);
        if (values.isEmpty()) {
          if (key.getValue().isArray() && key.getValue().isEmpty()) {
            problems.add(new Problem(keyPath, "a condition key needs at least one value"));
          }
          continue;
        }
        int bad = problems.size();
        for (String v : values) {
          valueProblem(operator.get(), v, language)
              .ifPresent(m -> problems.add(new Problem(keyPath, m)));
        }
        if (problems.size() == bad) {
          out.add(new Condition(operator.get(), key.getKey(), values));
        }
      }
    }
    return out;
  }

  private static String unknownOperator(String name) {
    String base =
        name.replaceFirst("^(?i)(ForAllValues|ForAnyValue):", "").replaceFirst("IfExists$", "");
    for (String known : ConditionOperator.baseNames()) {
      if (known.equalsIgnoreCase(base) && !known.equals(base)) {
        return "`"
            + name
            + "` is not a condition operator: operator names are case-sensitive (`"
            + known
            + "`)";
      }
    }
    if (base.equals("Null") && name.endsWith("IfExists")) {
      return "`" + name + "` is not a condition operator: `Null` has no `IfExists` form";
    }
    return "`" + name + "` is not a condition operator";
  }

  static Optional<String> valueProblem(
      ConditionOperator operator, String value, PolicyLanguage language) {
    boolean variable = language.hasVariables() && value.contains("${");
    return switch (operator.test()) {
      case StringTest s -> Optional.empty();
      case ArnTest a -> Optional.empty();
      case NumericTest n ->
          variable
              ? noVariables(operator)
              : CompiledCondition.parseNumber(value).isPresent()
                  ? Optional.empty()
                  : Optional.of("`" + value + "` is not a number");
      case DateTest d ->
          variable
              ? noVariables(operator)
              : DateValue.parse(value).isPresent()
                  ? Optional.empty()
                  : Optional.of(
                      "`"
                          + value
                          + "` is not a date: use ISO 8601 (`2024-01-31T12:00:00Z`) or epoch seconds");
      case BoolTest b ->
          variable
              ? noVariables(operator)
              : value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                  ? Optional.empty()
                  : Optional.of("`" + value + "` is not a boolean: use `true` or `false`");
      case BinaryTest b ->
          variable
              ? noVariables(operator)
              : CompiledCondition.decodeBase64(value).isPresent()
                  ? Optional.empty()
                  : Optional.of("`" + value + "` is not base64");
      case IpTest ip ->
          variable
              ? noVariables(operator)
              : IpRange.parse(value).isPresent()
                  ? Optional.empty()
                  : Optional.of("`" + value + "` is not an IP address or CIDR range");
      case NullTest n ->
          variable
              ? noVariables(operator)
              : value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                  ? Optional.empty()
                  : Optional.of("`Null` takes `true` (key absent) or `false` (key present)");
    };
  }

  private static Optional<String> noVariables(ConditionOperator operator) {
    return Optional.of("policy variables are not allowed with `" + operator.name() + "`");
  }

  private static void unknownElements(
      JsonNode node, Set<String> known, String path, String what, List<Problem> problems) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (known.contains(name)) {
        continue;
      }
      String hint = "";
      for (String k : known) {
        if (k.equalsIgnoreCase(name)) {
          hint = " (element names are case-sensitive: `" + k + "`)";
        }
      }
      problems.add(
          new Problem(
              path.isEmpty() ? name : path + "." + name,
              "`" + name + "` is not a " + what + " element" + hint));
    }
  }

  /** A string or a non-empty array of strings. */
  private static List<String> strings(JsonNode node, String path, List<Problem> problems) {
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (node.isArray()) {
      if (node.isEmpty()) {
        problems.add(new Problem(path, "the list is empty: give at least one value"));
      }
      List<String> out = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        JsonNode v = node.get(i);
        if (v.isTextual()) {
          out.add(v.asText());
        } else {
          problems.add(new Problem(path + "[" + i + "]", "expected a string, not " + describe(v)));
        }
      }
      return out;
    }
    problems.add(
        new Problem(path, "expected a string or an array of strings, not " + describe(node)));
    return List.of();
  }

  /** Condition values: strings, numbers or booleans, alone or in an array. */
  private static List<String> scalars(JsonNode node, String path, List<Problem> problems) {
    if (node.isValueNode() && !node.isNull()) {
      return List.of(node.asText());
    }
    if (node.isArray()) {
      List<String> out = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        JsonNode v = node.get(i);
        if (v.isValueNode() && !v.isNull()) {
          out.add(v.asText());
        } else {
          problems.add(
              new Problem(
                  path + "[" + i + "]", "a condition value is a string, number or boolean"));
        }
      }
      return out;
    }
    problems.add(
        new Problem(
            path,
            "a condition value is a string, number, boolean or an array of them, not "
                + describe(node)));
    return List.of();
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : node.toString();
  }

  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
