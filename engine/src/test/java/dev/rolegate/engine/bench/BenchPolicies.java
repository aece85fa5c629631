package dev.rolegate.engine.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolegate.engine.eval.PolicySourceType;
import dev.rolegate.engine.eval.SourcedPolicy;
import dev.rolegate.engine.parse.ParseResult;
import dev.rolegate.engine.parse.PolicyParser;
import dev.rolegate.engine.policy.PolicyKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The policy sets the engine benchmark decides against, written as JSON text and parsed as the
 * service would: (a) the classic two-statement policy, and (b, c) generated sets of realistic
 * policies of ten statements each. Generation is deterministic (fixed seed), so every run measures
 * the same documents.
 *
 * <p>The generated statements cover many services (S3, DynamoDB, SQS, SNS, Lambda, Logs, KMS,
 * CloudWatch, EC2, IAM, STS, Secrets Manager, SSM) with exact actions and wildcards, ARN resources
 * with wildcards and policy variables, conditions (StringEquals aws:RequestedRegion, IpAddress
 * aws:SourceIp, Bool aws:SecureTransport, ...), and Deny statements that do not apply to the
 * benchmark's request (some match its action and resource but fail their condition: near misses).
 * The two statements of the classic policy sit somewhere inside, so the request is allowed.
 */
final class BenchPolicies {
  static final String ACCOUNT = "111122223333";
  static final String USER = "arn:aws:iam::111122223333:user/alice";
  static final String INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
  static final String ROLE = "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web";
  static final Map<String, List<String>> CONTEXT = Map.of("aws:SourceIp", List.of("203.0.113.7"));

  /** The seed of the generated sets: change it and every number in bench/results changes too. */
  static final long SEED = 0x5EED_2026L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchPolicies() {}

  /** The classic statement that lets the user manage instance profiles on any instance. */
  static Map<String, Object> manageInstanceProfiles() {
    return statement(
        "ManageInstanceProfiles",
        "Allow",
        List.of(
            "ec2:AssociateIamInstanceProfile",
            "ec2:DisassociateIamInstanceProfile",
            "ec2:ReplaceIamInstanceProfileAssociation"),
        List.of("*"),
        null);
  }

  /** The classic statement that lets the user pass (and read) the XYZ roles. */
  static Map<String, Object> passXyzRoles() {
    return statement(
        "PassXyzRoles",
        "Allow",
        List.of("iam:PassRole", "iam:GetRole"),
        List.of("arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*"),
        null);
  }

  /** (a): one policy of the two classic statements. */
  static List<String> classicJson() {
    return List.of(document(List.of(manageInstanceProfiles(), passXyzRoles())));
  }

  /**
   * (b) and (c): {@code count} policies of ten statements each; the two classic statements are
   * statement 6 of policy count/3 and statement 3 of policy 2*count/3.
   */
  static List<String> generatedJson(int count) {
    Random r = new Random(SEED);
    List<String> out = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      List<Map<String, Object>> statements = new ArrayList<>(10);
      for (int s = 0; s < 10; s++) {
        if (p == count / 3 && s == 6) {
          statements.add(manageInstanceProfiles());
        } else if (p == 2 * count / 3 && s == 3) {
          statements.add(passXyzRoles());
        } else {
          statements.add(generated(r, p, s));
        }
      }
      out.add(document(statements));
    }
    return out;
  }

  /** (d) The boundary: the two classic statements plus the rest of EC2 and S3. */
  static String boundaryJson() {
    return document(
        List.of(
            manageInstanceProfiles(),
            passXyzRoles(),
            statement("BoundaryRest", "Allow", List.of("ec2:*", "s3:*"), List.of("*"), null)));
  }

  /** (d) The organization root's FullAWSAccess. */
  static String fullAccessJson() {
    return document(List.of(statement("FullAWSAccess", "Allow", List.of("*"), List.of("*"), null)));
  }

  /** (d) The OU's SCP: a few services only. */
  static String organizationUnitJson() {
    return document(
        List.of(
            statement(
                "OuServices",
                "Allow",
                List.of("ec2:*", "iam:*", "s3:*", "sts:*", "logs:*"),
                List.of("*"),
                null),
            statement(
                "OuDenies",
                "Deny",
                List.of("iam:CreateUser", "iam:DeleteRole"),
                List.of("*"),
                null)));
  }

  /** One document parsed for a layer other than identity. */
  static SourcedPolicy layer(String json, PolicyKind kind) {
    ParseResult result = PolicyParser.parse(json, kind);
    if (!(result instanceof ParseResult.Parsed parsed)) {
      throw new IllegalStateException("benchmark policy does not parse: " + result + "\n" + json);
    }
    PolicySourceType type =
        kind == PolicyKind.SERVICE_CONTROL
            ? PolicySourceType.SERVICE_CONTROL
            : PolicySourceType.USER_MANAGED;
    return SourcedPolicy.of(
        "bench-" + kind.name().toLowerCase(java.util.Locale.ROOT), type, parsed.document());
  }

  /** Parses the documents as identity policies and names them as a user's policies would be. */
  static List<SourcedPolicy> parse(List<String> documents) {
    List<SourcedPolicy> out = new ArrayList<>(documents.size());
    for (int p = 0; p < documents.size(); p++) {
      ParseResult result = PolicyParser.parse(documents.get(p), PolicyKind.IDENTITY);
      if (!(result instanceof ParseResult.Parsed parsed)) {
        throw new IllegalStateException(
            "benchmark policy " + p + " does not parse: " + result + "\n" + documents.get(p));
      }
      out.add(sourced(p, parsed));
    }
    return out;
  }

  private static SourcedPolicy sourced(int p, ParseResult.Parsed parsed) {
    return switch (p % 5) {
      case 0 -> SourcedPolicy.of("alice-inline-" + p, PolicySourceType.USER, parsed.document());
      case 1 ->
          SourcedPolicy.of("developers-inline-" + p, PolicySourceType.GROUP, parsed.document());
      case 2 ->
          SourcedPolicy.of(
              "arn:aws:iam::aws:policy/BenchManaged" + p,
              PolicySourceType.AWS_MANAGED,
              parsed.document());
      default ->
          SourcedPolicy.of(
              "arn:aws:iam::111122223333:policy/team-" + p + "-access",
              PolicySourceType.USER_MANAGED,
              parsed.document());
    };
  }

  private static String document(List<Map<String, Object>> statements) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("Version", "2012-10-17");
    doc.put("Statement", statements);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> statement(
      String sid,
      String effect,
      List<String> actions,
      List<String> resources,
      Map<String, Map<String, Object>> condition) {
    return statement(sid, effect, "Action", actions, resources, condition);
  }

  private static Map<String, Object> statement(
      String sid,
      String effect,
      String actionElement,
      List<String> actions,
      List<String> resources,
      Map<String, Map<String, Object>> condition) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Sid", sid);
    s.put("Effect", effect);
    s.put(actionElement, actions.size() == 1 ? actions.get(0) : actions);
    s.put("Resource", resources.size() == 1 ? resources.get(0) : resources);
    if (condition != null) {
      s.put("Condition", condition);
    }
    return s;
  }

  private static Map<String, Map<String, Object>> cond(String operator, String key, Object value) {
    Map<String, Map<String, Object>> c = new LinkedHashMap<>();
    c.put(operator, Map.of(key, value));
    return c;
  }

  private static Map<String, Map<String, Object>> maybe(
      Random r, String operator, String key, Object value) {
    return r.nextBoolean() ? cond(operator, key, value) : null;
  }

  /** One generated statement: none of them alone decides the benchmark's request. */
  private static Map<String, Object> generated(Random r, int p, int s) {
    String region = r.nextInt(4) == 0 ? "eu-west-1" : "us-east-1";
    String arnRegion = "arn:aws:%s:" + region + ":" + ACCOUNT + ":";
    int k = r.nextInt(100);
    String sid = "S" + s;
    if (k < 12) {
      return statement(
          sid + "ReadAppData",
          "Allow",
          r.nextBoolean()
              ? List.of("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket")
              : List.of("s3:Get*", "s3:List*"),
          List.of("arn:aws:s3:::app-" + p + "-data", "arn:aws:s3:::app-" + p + "-data/*"),
          maybe(r, "Bool", "aws:SecureTransport", "true"));
    }
    if (k < 19) {
      return statement(
          sid + "WriteOwnUploads",
          "Allow",
          List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
          List.of("arn:aws:s3:::app-" + p + "-uploads/home/${aws:username}/*"),
          null);
    }
    if (k < 28) {
      return statement(
          sid + "OrdersTable",
          "Allow",
          r.nextBoolean()
              ? List.of(
                  "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query")
              : List.of("dynamodb:BatchGet*", "dynamodb:Describe*", "dynamodb:Query"),
          List.of(
              arnRegion.formatted("dynamodb") + "table/orders-" + p,
              arnRegion.formatted("dynamodb") + "table/orders-" + p + "/index/*"),
          maybe(r, "StringEquals", "aws:RequestedRegion", region));
    }
    if (k < 34) {
      return r.nextBoolean()
          ? statement(
              sid + "JobQueue",
              "Allow",
              List.of(
                  "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueue*"),
              List.of(arnRegion.formatted("sqs") + "jobs-" + p + "-*"),
              null)
          : statement(
              sid + "Alerts",
              "Allow",
              List.of("sns:Publish", "sns:List*"),
              List.of("arn:aws:sns:*:" + ACCOUNT + ":alerts-" + p),
              maybe(r, "StringEquals", "aws:RequestedRegion", List.of("us-east-1", "eu-west-1")));
    }
    if (k < 40) {
      return statement(
          sid + "InvokeServices",
          "Allow",
          List.of("lambda:InvokeFunction", "lambda:GetFunction*", "lambda:List*"),
          List.of(arnRegion.formatted("lambda") + "function:svc-" + p + "-*"),
          maybe(r, "StringEquals", "aws:RequestedRegion", region));
    }
    if (k < 46) {
      return r.nextBoolean()
          ? statement(
              sid + "WriteLogs",
              "Allow",
              List.of("logs:CreateLogStream", "logs:PutLogEvents"),
              List.of(arnRegion.formatted("logs") + "log-group:/app/svc-" + p + ":*"),
              null)
          : statement(sid + "DescribeLogs", "Allow", List.of("logs:Describe*"), List.of("*"), null);
    }
    if (k < 51) {
      return statement(
          sid + "UseKey",
          "Allow",
          List.of("kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"),
          List.of(
              arnRegion.formatted("kms")
                  + "key/%08x-1234-4abc-8def-%012x".formatted(p * 7919, (long) p * 104729)),
          cond("StringEquals", "kms:ViaService", "s3." + region + ".amazonaws.com"));
    }
    if (k < 55) {
      return statement(
          sid + "Metrics",
          "Allow",
          List.of("cloudwatch:PutMetricData", "cloudwatch:GetMetric*", "cloudwatch:Describe*"),
          List.of("*"),
          maybe(r, "StringEquals", "cloudwatch:namespace", "App/Team" + p));
    }
    if (k < 67) {
      return ec2(r, p, sid, region, arnRegion);
    }
    if (k < 75) {
      return iam(r, p, sid);
    }
    if (k < 84) {
      return switch (r.nextInt(3)) {
        case 0 ->
            statement(
                sid + "AssumeDeploy",
                "Allow",
                List.of("sts:AssumeRole", "sts:TagSession"),
                List.of("arn:aws:iam::444455556666:role/deploy-" + p),
                cond("IpAddress", "aws:SourceIp", List.of("10.0.0.0/8", "192.0.2.0/24")));
        case 1 ->
            statement(
                sid + "ReadSecrets",
                "Allow",
                List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                List.of(arnRegion.formatted("secretsmanager") + "secret:svc-" + p + "-*"),
                maybe(r, "StringEquals", "aws:RequestedRegion", region));
        default ->
            statement(
                sid + "ReadParameters",
                "Allow",
                List.of("ssm:GetParameter*"),
                List.of(arnRegion.formatted("ssm") + "parameter/svc/" + p + "/*"),
                null);
      };
    }
    return deny(r, p, sid);
  }

  private static Map<String, Object> ec2(
      Random r, int p, String sid, String region, String arnRegion) {
    String ec2 = arnRegion.formatted("ec2");
    return switch (pick(r, 4, 2, 2, 2, 1, 1)) {
      case 0 ->
          statement(sid + "DescribeEc2", "Allow", List.of("ec2:Describe*"), List.of("*"), null);
      case 1 ->
          statement(
              sid + "RunInstances",
              "Allow",
              List.of("ec2:RunInstances"),
              List.of(
                  ec2 + "instance/*",
                  ec2 + "volume/*",
                  ec2 + "network-interface/*",
                  ec2 + "security-group/sg-%08x".formatted(p * 31),
                  ec2 + "subnet/subnet-%08x".formatted(p * 17),
                  "arn:aws:ec2:" + region + "::image/ami-*"),
              cond("StringEquals", "aws:RequestedRegion", region));
      case 2 ->
          statement(
              sid + "StartStopOwn",
              "Allow",
              List.of("ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"),
              List.of(ec2 + "instance/*"),
              cond("StringEquals", "ec2:ResourceTag/team", "team-" + p));
      case 3 ->
          statement(
              sid + "TagOnCreate",
              "Allow",
              List.of("ec2:CreateTags"),
              List.of("arn:aws:ec2:*:" + ACCOUNT + ":*/*"),
              cond("StringEquals", "ec2:CreateAction", "RunInstances"));
      case 4 ->
          statement(
              sid + "Snapshots",
              "Allow",
              List.of("ec2:*Snapshot*", "ec2:*Volume*"),
              List.of("arn:aws:ec2:" + region + "::snapshot/*", ec2 + "volume/*"),
              null);
      default ->
          // Everything on EC2 instances, but only from the corporate network: matches the
          // benchmark's associate check, whose source IP is outside it (a near miss).
          statement(
              sid + "Ec2FromCorp",
              "Allow",
              List.of("ec2:*"),
              List.of("arn:aws:ec2:*:" + ACCOUNT + ":instance/*"),
              cond("IpAddress", "aws:SourceIp", List.of("10.0.0.0/8", "172.16.0.0/12")));
    };
  }

  private static Map<String, Object> iam(Random r, int p, String sid) {
    return switch (r.nextInt(4)) {
      case 0 ->
          statement(sid + "ReadIam", "Allow", List.of("iam:Get*", "iam:List*"), List.of("*"), null);
      case 1 ->
          statement(
              sid + "PassLambdaRole",
              "Allow",
              List.of("iam:PassRole"),
              List.of("arn:aws:iam::" + ACCOUNT + ":role/lambda-exec-" + p),
              cond("StringEquals", "iam:PassedToService", "lambda.amazonaws.com"));
      case 2 ->
          statement(
              sid + "ServiceLinkedRoles",
              "Allow",
              List.of("iam:CreateServiceLinkedRole"),
              List.of("arn:aws:iam::*:role/aws-service-role/*"),
              cond(
                  "StringLike",
                  "iam:AWSServiceName",
                  List.of("autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com")));
      default ->
          statement(
              sid + "OwnCredentials",
              "Allow",
              List.of("iam:ChangePassword", "iam:*AccessKey*", "iam:*MFADevice"),
              List.of("arn:aws:iam::" + ACCOUNT + ":user/${aws:username}"),
              null);
    };
  }

  /** A random index, each with its weight. */
  private static int pick(Random r, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    throw new AssertionError();
  }

  /** Deny statements that do not apply to the benchmark's request. */
  private static Map<String, Object> deny(Random r, int p, String sid) {
    return switch (pick(r, 3, 3, 3, 3, 2, 2, 1, 1, 3)) {
      case 0 ->
          statement(
              sid + "KeepBuckets",
              "Deny",
              List.of("s3:DeleteBucket", "s3:PutBucketPolicy"),
              List.of("arn:aws:s3:::*"),
              null);
      case 1 ->
          statement(
              sid + "TlsOnly",
              "Deny",
              List.of("s3:*"),
              List.of("*"),
              cond("Bool", "aws:SecureTransport", "false"));
      case 2 ->
          statement(
              sid + "KeepProd",
              "Deny",
              List.of("ec2:TerminateInstances", "ec2:StopInstances"),
              List.of("arn:aws:ec2:*:" + ACCOUNT + ":instance/*"),
              cond("StringEquals", "ec2:ResourceTag/env", "prod"));
      case 3 ->
          statement(
              sid + "NoAdminRoles",
              "Deny",
              List.of("iam:PassRole"),
              List.of("arn:aws:iam::*:role/Admin*", "arn:aws:iam::*:role/OrganizationAccount*"),
              null);
      case 4 ->
          statement(
              sid + "NoIamWrites",
              "Deny",
              List.of("iam:Create*", "iam:Delete*", "iam:Attach*", "iam:Put*"),
              List.of("*"),
              null);
      case 5 ->
          statement(
              sid + "KeepKeys",
              "Deny",
              List.of("kms:ScheduleKeyDeletion", "kms:DisableKey"),
              List.of("*"),
              null);
      case 6 ->
          // Matches the associate check's action and resource; fails its condition (near miss).
          statement(
              sid + "NoOptInRegions",
              "Deny",
              List.of("ec2:*"),
              List.of("arn:aws:ec2:*:" + ACCOUNT + ":instance/*"),
              cond("StringEquals", "aws:RequestedRegion", List.of("ap-east-1", "me-south-1")));
      case 7 ->
          // Deny outside the known networks: the request comes from one of them.
          statement(
              sid + "KnownNetworks",
              "Deny",
              List.of("ec2:*", "iam:PassRole"),
              List.of("*"),
              cond("NotIpAddress", "aws:SourceIp", List.of("203.0.113.0/24", "10.0.0.0/8")));
      default ->
          // NotAction cannot be indexed by action: every check looks at it.
          r.nextInt(3) == 0
              ? statement(
                  sid + "NeedMfa",
                  "Deny",
                  "NotAction",
                  List.of("iam:ChangePassword", "iam:GetUser", "sts:GetSessionToken"),
                  List.of("*"),
                  cond("Bool", "aws:MultiFactorAuthPresent", "false"))
              : statement(
                  sid + "NoTrails" + p % 10,
                  "Deny",
                  List.of("cloudtrail:StopLogging", "cloudtrail:DeleteTrail"),
                  List.of("*"),
                  null);
    };
  }
}
