package dev.rolegate.api.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The policy documents of a generated account: identity policies from a vocabulary of real
 * services, actions and ARNs of the account's own resources, plus boundaries, trust policies and
 * SCPs. A small share of statements allows or denies what rolegate decides on (the three EC2
 * instance-profile actions and {@code iam:PassRole} on the account's roles), so that most
 * principals have something to say about it. Documents are written as compact JSON text directly:
 * building a million statements as Jackson trees would cost more than the database write itself,
 * and the text length is then the size IAM counts (no whitespace).
 */
final class ScalePolicies {
  static final String HEAD = "{\"Version\":\"2012-10-17\",\"Statement\":[";
  static final String TAIL = "]}";

  /** One document and the statements it holds. */
  record Doc(String json, int statements) {}

  /** A role's trust: who may assume it. Most roles of an account are EC2 roles. */
  enum Trust {
    EC2,
    EC2_AND_SSM,
    LAMBDA,
    ECS_TASKS,
    ACCOUNT_WITH_MFA
  }

  static final String[] TEAMS = {
    "payments",
    "orders",
    "search",
    "platform",
    "data",
    "ml",
    "identity",
    "billing",
    "web",
    "mobile",
    "analytics",
    "security",
    "infra",
    "support",
    "catalog",
    "shipping",
    "reporting",
    "growth",
    "ads",
    "media"
  };
  private static final String[] REGIONS = {
    "us-east-1",
    "us-east-1",
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2"
  };
  private static final String[] CIDRS = {
    "203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "10.0.0.0/8", "172.16.0.0/12"
  };
  private static final String[] PROFILE_ACTIONS = {
    "ec2:AssociateIamInstanceProfile",
    "ec2:ReplaceIamInstanceProfileAssociation",
    "ec2:DisassociateIamInstanceProfile",
    "ec2:DescribeIamInstanceProfileAssociations"
  };

  /** A service: its prefix, the actions written in policies, and how its resources are named. */
  private record Service(String prefix, String sidStem, int weight, String[] actions) {}

  private static final Service[] SERVICES = {
    new Service(
        "s3",
        "S3",
        22,
        new String[] {
          "GetObject",
          "GetObjectVersion",
          "PutObject",
          "DeleteObject",
          "ListBucket",
          "GetBucketLocation",
          "GetBucketPolicy",
          "PutObjectTagging",
          "AbortMultipartUpload",
          "Get*",
          "List*",
          "Put*"
        }),
    new Service(
        "ec2",
        "Ec2",
        14,
        new String[] {
          "DescribeInstances",
          "DescribeImages",
          "DescribeVolumes",
          "DescribeSecurityGroups",
          "Describe*",
          "RunInstances",
          "StartInstances",
          "StopInstances",
          "RebootInstances",
          "TerminateInstances",
          "CreateTags",
          "CreateVolume",
          "AttachVolume"
        }),
    new Service(
        "iam",
        "Iam",
        6,
        new String[] {
          "GetRole",
          "GetUser",
          "ListRoles",
          "ListUsers",
          "ListInstanceProfiles",
          "GetInstanceProfile",
          "ListAttachedRolePolicies",
          "Get*",
          "List*",
          "CreateServiceLinkedRole",
          "ChangePassword",
          "CreateAccessKey"
        }),
    new Service(
        "dynamodb",
        "Dynamo",
        12,
        new String[] {
          "GetItem",
          "PutItem",
          "UpdateItem",
          "DeleteItem",
          "Query",
          "Scan",
          "BatchGetItem",
          "BatchWriteItem",
          "DescribeTable",
          "ConditionCheckItem",
          "Get*",
          "Describe*"
        }),
    new Service(
        "sqs",
        "Sqs",
        8,
        new String[] {
          "SendMessage",
          "ReceiveMessage",
          "DeleteMessage",
          "GetQueueAttributes",
          "GetQueueUrl",
          "ChangeMessageVisibility",
          "ListQueues"
        }),
    new Service(
        "sns", "Sns", 4, new String[] {"Publish", "Subscribe", "ListTopics", "GetTopicAttributes"}),
    new Service(
        "lambda",
        "Lambda",
        7,
        new String[] {
          "InvokeFunction",
          "GetFunction",
          "GetFunctionConfiguration",
          "UpdateFunctionCode",
          "ListFunctions",
          "Get*",
          "List*"
        }),
    new Service(
        "logs",
        "Logs",
        8,
        new String[] {
          "CreateLogGroup",
          "CreateLogStream",
          "PutLogEvents",
          "DescribeLogStreams",
          "DescribeLogGroups",
          "GetLogEvents",
          "FilterLogEvents"
        }),
    new Service(
        "kms",
        "Kms",
        3,
        new String[] {
          "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKey*", "DescribeKey", "ReEncrypt*"
        }),
    new Service(
        "secretsmanager",
        "Secrets",
        4,
        new String[] {"GetSecretValue", "DescribeSecret", "ListSecrets"}),
    new Service(
        "ssm",
        "Ssm",
        4,
        new String[] {
          "GetParameter",
          "GetParameters",
          "GetParametersByPath",
          "PutParameter",
          "DescribeParameters"
        }),
    new Service(
        "cloudwatch",
        "CloudWatch",
        3,
        new String[] {
          "PutMetricData", "GetMetricData", "ListMetrics", "DescribeAlarms", "Get*", "Describe*"
        }),
    new Service("sts", "Sts", 1, new String[] {"AssumeRole", "GetCallerIdentity"}),
    new Service(
        "ecr",
        "Ecr",
        1,
        new String[] {
          "GetAuthorizationToken",
          "BatchGetImage",
          "GetDownloadUrlForLayer",
          "BatchCheckLayerAvailability",
          "PutImage"
        })
  };

  private static final int SERVICE_WEIGHTS;

  static {
    int total = 0;
    for (Service s : SERVICES) {
      total += s.weight();
    }
    SERVICE_WEIGHTS = total;
  }

  private final String account;
  private final String iamPrefix;
  private final List<String> roleArns;
  private final List<String> rolePaths;
  private final String[] buckets;
  private final String[] tables;
  private final String[] queues;
  private final String[] functions;
  private final String[] keys;

  /**
   * The vocabulary of one account: {@code roleArns} and {@code rolePaths} are the account's roles
   * (PassRole statements name them), the other resources are made up from the random source.
   */
  ScalePolicies(String account, List<String> roleArns, List<String> rolePaths, SplittableRandom r) {
    this.account = account;
    this.iamPrefix = "arn:aws:iam::" + account + ":";
    this.roleArns = List.copyOf(roleArns);
    this.rolePaths = List.copyOf(rolePaths);
    String[] purposes = {"logs", "assets", "backups", "exports", "raw", "curated", "artifacts"};
    String[] entities = {"events", "sessions", "accounts", "inventory", "invoices", "jobs"};
    String[] flows = {"ingest", "notify", "resize", "sync", "audit", "index", "settle"};
    buckets = new String[TEAMS.length * purposes.length];
    tables = new String[TEAMS.length * entities.length];
    queues = new String[TEAMS.length * flows.length];
    functions = new String[queues.length];
    for (int t = 0; t < TEAMS.length; t++) {
      for (int p = 0; p < purposes.length; p++) {
        buckets[t * purposes.length + p] = TEAMS[t] + "-" + purposes[p];
      }
      for (int e = 0; e < entities.length; e++) {
        tables[t * entities.length + e] = TEAMS[t] + "-" + entities[e];
      }
      for (int f = 0; f < flows.length; f++) {
        queues[t * flows.length + f] = TEAMS[t] + "-" + flows[f];
        functions[t * flows.length + f] = TEAMS[t] + "-" + flows[f] + "-fn";
      }
    }
    keys = new String[40];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = uuid(r);
    }
  }

  // ---- identity policies

  /**
   * An identity policy of about {@code wanted} statements (at least one), stopping early rather
   * than exceed {@code limit} characters.
   */
  Doc identity(SplittableRandom r, int wanted, int limit) {
    StringBuilder doc = new StringBuilder(Math.min(limit, wanted * 120 + 64)).append(HEAD);
    StringBuilder one = new StringBuilder(256);
    int n = 0;
    while (n < Math.max(1, wanted)) {
      one.setLength(0);
      statement(r, n, one);
      int comma = n == 0 ? 0 : 1;
      if (doc.length() + comma + one.length() + TAIL.length() > limit) {
        if (n > 0) {
          break;
        }
        // Even the first statement is too large for what is left: take the smallest there is.
        one.setLength(0);
        one.append(
            "{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}");
      }
      if (comma == 1) {
        doc.append(',');
      }
      doc.append(one);
      n++;
    }
    return new Doc(doc.append(TAIL).toString(), n);
  }

  private void statement(SplittableRandom r, int index, StringBuilder s) {
    double k = r.nextDouble();
    if (k < 0.030) {
      allowPassRole(r, index, s);
    } else if (k < 0.050) {
      allowProfileOperations(r, index, s);
    } else if (k < 0.054) {
      denyPassAdminRoles(r, index, s);
    } else if (k < 0.057) {
      denyProfileOperations(r, index, s);
    } else {
      generic(r, index, s);
    }
  }

  private void generic(SplittableRandom r, int index, StringBuilder s) {
    Service service = service(r);
    boolean allow = r.nextInt(100) >= 7;
    String sid =
        r.nextInt(100) < 20 ? service.sidStem() + (allow ? "Access" : "Deny") + index : null;
    open(s, sid, allow);
    List<String> actions = new ArrayList<>(3);
    if (r.nextInt(100) < 3) {
      actions.add(service.prefix() + ":*");
    } else {
      int count = 1 + (r.nextInt(100) < 35 ? r.nextInt(3) : 0);
      for (int i = 0; i < count; i++) {
        String a = service.prefix() + ":" + pick(r, service.actions());
        if (!actions.contains(a)) {
          actions.add(a);
        }
      }
    }
    list(s, "Action", actions);
    List<String> resources = new ArrayList<>(2);
    int count = r.nextInt(100) < 8 ? 2 : 1;
    for (int i = 0; i < count; i++) {
      String res = resource(r, service.prefix());
      if (!resources.contains(res)) {
        resources.add(res);
      }
    }
    list(s, "Resource", resources);
    if (r.nextInt(100) < 8) {
      condition(r, service.prefix(), s);
    }
    s.append('}');
  }

  private void allowPassRole(SplittableRandom r, int index, StringBuilder s) {
    open(s, r.nextBoolean() ? "PassRoles" + index : null, true);
    list(s, "Action", r.nextInt(100) < 80 ? List.of("iam:PassRole") : passAndRead(r));
    int k = r.nextInt(100);
    List<String> resources;
    if (k < 45) {
      resources = List.of(pick(r, roleArns));
    } else if (k < 80) {
      resources = List.of(iamPrefix + "role" + pick(r, rolePaths) + "*");
    } else if (k < 90) {
      resources = List.of(iamPrefix + "role/*");
    } else {
      resources = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String arn = pick(r, roleArns);
        if (!resources.contains(arn)) {
          resources.add(arn);
        }
      }
    }
    list(s, "Resource", resources);
    if (r.nextInt(100) < 60) {
      String service =
          r.nextInt(100) < 85
              ? "ec2.amazonaws.com"
              : r.nextBoolean() ? "lambda.amazonaws.com" : "ecs-tasks.amazonaws.com";
      s.append(",\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"")
          .append(service)
          .append("\"}}");
    }
    s.append('}');
  }

  private static List<String> passAndRead(SplittableRandom r) {
    return r.nextBoolean()
        ? List.of("iam:PassRole", "iam:GetRole")
        : List.of("iam:PassRole", "iam:GetInstanceProfile", "iam:ListInstanceProfiles");
  }

  private void allowProfileOperations(SplittableRandom r, int index, StringBuilder s) {
    open(s, r.nextBoolean() ? "InstanceProfileOps" + index : null, true);
    int k = r.nextInt(100);
    if (k < 50) {
      list(s, "Action", List.of(PROFILE_ACTIONS));
    } else if (k < 75) {
      list(s, "Action", List.of(PROFILE_ACTIONS[0], PROFILE_ACTIONS[1]));
    } else if (k < 85) {
      list(s, "Action", List.of("ec2:*IamInstanceProfile*"));
    } else {
      list(s, "Action", List.of(PROFILE_ACTIONS[2], PROFILE_ACTIONS[3]));
    }
    k = r.nextInt(100);
    String resource =
        k < 50
            ? "arn:aws:ec2:" + pick(r, REGIONS) + ":" + account + ":instance/*"
            : k < 80 ? "arn:aws:ec2:*:" + account + ":instance/*" : "*";
    list(s, "Resource", List.of(resource));
    if (r.nextInt(100) < 25) {
      s.append(",\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"")
          .append(pick(r, TEAMS))
          .append("\"}}");
    }
    s.append('}');
  }

  private void denyPassAdminRoles(SplittableRandom r, int index, StringBuilder s) {
    open(s, "DenyPassAdmin" + index, false);
    list(s, "Action", List.of("iam:PassRole"));
    list(
        s,
        "Resource",
        r.nextBoolean()
            ? List.of(iamPrefix + "role/admin/*")
            : List.of(iamPrefix + "role/admin/*", iamPrefix + "role/*Admin*"));
    s.append('}');
  }

  private void denyProfileOperations(SplittableRandom r, int index, StringBuilder s) {
    boolean mfa = r.nextInt(100) < 75;
    open(s, (mfa ? "DenyProfileChangesWithoutMfa" : "DenyProfileChangesOffNetwork") + index, false);
    list(s, "Action", List.of(PROFILE_ACTIONS[0], PROFILE_ACTIONS[1], PROFILE_ACTIONS[2]));
    list(s, "Resource", List.of("*"));
    if (mfa) {
      s.append(",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}");
    } else {
      s.append(",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"")
          .append(CIDRS[0])
          .append("\"]}}");
    }
    s.append('}');
  }

  private String resource(SplittableRandom r, String service) {
    String region = pick(r, REGIONS);
    int k = r.nextInt(100);
    return switch (service) {
      case "s3" -> {
        String bucket = pick(r, buckets);
        yield k < 30
            ? "arn:aws:s3:::" + bucket
            : k < 75
                ? "arn:aws:s3:::" + bucket + "/*"
                : k < 92
                    ? "arn:aws:s3:::" + bucket + "/" + pick(r, TEAMS) + "/*"
                    : "arn:aws:s3:::" + bucket + "/home/${aws:username}/*";
      }
      case "ec2" ->
          k < 40
              ? "*"
              : k < 80
                  ? "arn:aws:ec2:" + region + ":" + account + ":instance/*"
                  : "arn:aws:ec2:" + region + ":" + account + ":volume/*";
      case "iam" ->
          k < 50
              ? "*"
              : k < 80
                  ? iamPrefix + "role" + pick(r, rolePaths) + "*"
                  : iamPrefix + "user/${aws:username}";
      case "dynamodb" -> {
        String table = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + pick(r, tables);
        yield k < 85 ? table : table + "/index/*";
      }
      case "sqs" -> "arn:aws:sqs:" + region + ":" + account + ":" + pick(r, queues);
      case "sns" -> "arn:aws:sns:" + region + ":" + account + ":" + pick(r, queues) + "-topic";
      case "lambda" ->
          "arn:aws:lambda:"
              + region
              + ":"
              + account
              + ":function:"
              + pick(r, functions)
              + (k < 20 ? "*" : "");
      case "logs" ->
          k < 70
              ? "arn:aws:logs:"
                  + region
                  + ":"
                  + account
                  + ":log-group:/aws/lambda/"
                  + pick(r, functions)
                  + ":*"
              : "arn:aws:logs:" + region + ":" + account + ":log-group:*";
      case "kms" -> "arn:aws:kms:" + region + ":" + account + ":key/" + pick(r, keys);
      case "secretsmanager" ->
          "arn:aws:secretsmanager:"
              + region
              + ":"
              + account
              + ":secret:"
              + pick(r, TEAMS)
              + "/"
              + pick(r, tables).replace('-', '/')
              + "-*";
      case "ssm" -> "arn:aws:ssm:" + region + ":" + account + ":parameter/" + pick(r, TEAMS) + "/*";
      case "sts" -> k < 50 ? "*" : pick(r, roleArns);
      case "ecr" ->
          k < 40
              ? "*"
              : "arn:aws:ecr:" + region + ":" + account + ":repository/" + pick(r, functions);
      default -> "*";
    };
  }

  private static void condition(SplittableRandom r, String service, StringBuilder s) {
    s.append(",\"Condition\":{");
    int k = r.nextInt(100);
    if (k < 30) {
      s.append("\"StringEquals\":{\"aws:RequestedRegion\":");
      if (r.nextBoolean()) {
        s.append('"').append(pick(r, REGIONS)).append('"');
      } else {
        s.append("[\"us-east-1\",\"").append(REGIONS[3 + r.nextInt(4)]).append("\"]");
      }
      s.append('}');
    } else if (k < 55) {
      s.append("\"StringEquals\":{\"aws:ResourceTag/")
          .append(r.nextBoolean() ? "team" : "Environment")
          .append("\":\"")
          .append(r.nextBoolean() ? pick(r, TEAMS) : "prod")
          .append("\"}");
    } else if (k < 70) {
      s.append("\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}");
    } else if (k < 90 || !service.equals("s3")) {
      s.append("\"IpAddress\":{\"aws:SourceIp\":\"").append(pick(r, CIDRS)).append("\"}");
    } else {
      s.append("\"Bool\":{\"aws:SecureTransport\":\"true\"}");
    }
    s.append('}');
  }

  // ---- permissions boundaries, trust policies, SCPs

  /**
   * A permissions boundary as platform teams write them: the services a team may use, PassRole only
   * for its own role path, and no way to lift the boundary or mint users. One in five leaves EC2
   * out, so that some decisions are refused by the boundary alone.
   */
  Doc boundary(SplittableRandom r, int index) {
    List<String> statements = new ArrayList<>();
    List<String> services = new ArrayList<>();
    for (Service s : SERVICES) {
      if (!s.prefix().equals("iam") && !s.prefix().equals("ec2") && r.nextInt(100) < 70) {
        services.add(s.prefix() + ":*");
      }
    }
    statements.add(statement("AllowTeamServices", "Allow", services, List.of("*"), ""));
    if (index % 5 != 4) {
      statements.add(statement("AllowEc2", "Allow", List.of("ec2:*"), List.of("*"), ""));
    }
    statements.add(
        statement("AllowIamRead", "Allow", List.of("iam:Get*", "iam:List*"), List.of("*"), ""));
    statements.add(
        statement(
            "AllowPassTeamRoles",
            "Allow",
            List.of("iam:PassRole"),
            List.of(iamPrefix + "role" + pick(r, rolePaths) + "*", iamPrefix + "role/app/*"),
            ""));
    statements.add(
        statement(
            "DenyBoundaryChanges",
            "Deny",
            List.of(
                "iam:DeleteUserPermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
                "iam:PutUserPermissionsBoundary",
                "iam:PutRolePermissionsBoundary"),
            List.of("*"),
            ""));
    statements.add(
        statement(
            "DenyUserManagement",
            "Deny",
            List.of("iam:CreateUser", "iam:CreateAccessKey", "iam:AttachUserPolicy"),
            List.of("*"),
            ""));
    if (r.nextBoolean()) {
      statements.add(
          statement(
              "DenyOutsideRegions",
              "Deny",
              List.of("ec2:RunInstances"),
              List.of("*"),
              ",\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"us-east-1\","
                  + "\"eu-west-1\"]}}"));
    }
    return new Doc(HEAD + String.join(",", statements) + TAIL, statements.size());
  }

  /** The trust policy of a role; IAM's limit for these is 2,048 characters, far above this. */
  String trust(Trust trust) {
    return switch (trust) {
      case EC2 -> HEAD + assume("{\"Service\":\"ec2.amazonaws.com\"}", "") + TAIL;
      case EC2_AND_SSM ->
          HEAD + assume("{\"Service\":[\"ec2.amazonaws.com\",\"ssm.amazonaws.com\"]}", "") + TAIL;
      case LAMBDA -> HEAD + assume("{\"Service\":\"lambda.amazonaws.com\"}", "") + TAIL;
      case ECS_TASKS -> HEAD + assume("{\"Service\":\"ecs-tasks.amazonaws.com\"}", "") + TAIL;
      case ACCOUNT_WITH_MFA ->
          HEAD
              + assume(
                  "{\"AWS\":\"" + iamPrefix + "root\"}",
                  ",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}")
              + TAIL;
    };
  }

  private static String assume(String principal, String condition) {
    return "{\"Effect\":\"Allow\",\"Principal\":"
        + principal
        + ",\"Action\":\"sts:AssumeRole\""
        + condition
        + "}";
  }

  /** One SCP: its name and document. */
  record Scp(String name, Doc doc) {}

  /**
   * Three levels, root first: the organization root (full access, no leaving), a workloads OU (the
   * services it may use, no large instance types) and the account (no IAM users or keys). None of
   * them refuses the instance-profile actions, so decisions turn on the identity policies.
   */
  List<List<Scp>> serviceControl() {
    String fullAccess = statement(null, "Allow", List.of("*"), List.of("*"), "");
    List<Scp> root =
        List.of(
            new Scp("FullAWSAccess", new Doc(HEAD + fullAccess + TAIL, 1)),
            new Scp(
                "DenyLeaveOrganization",
                new Doc(
                    HEAD
                        + statement(
                            "DenyLeave",
                            "Deny",
                            List.of("organizations:LeaveOrganization"),
                            List.of("*"),
                            "")
                        + TAIL,
                    1)));
    List<String> allowed = new ArrayList<>();
    for (Service s : SERVICES) {
      allowed.add(s.prefix() + ":*");
    }
    List<Scp> workloads =
        List.of(
            new Scp(
                "AllowWorkloadServices",
                new Doc(
                    HEAD + statement("AllowServices", "Allow", allowed, List.of("*"), "") + TAIL,
                    1)),
            new Scp(
                "DenyLargeInstances",
                new Doc(
                    HEAD
                        + statement(
                            "DenyLargeInstances",
                            "Deny",
                            List.of("ec2:RunInstances"),
                            List.of("arn:aws:ec2:*:*:instance/*"),
                            ",\"Condition\":{\"ForAnyValue:StringNotLike\":{\"ec2:InstanceType\":"
                                + "[\"t3.*\",\"m5.*\",\"c5.*\"]}}")
                        + TAIL,
                    1)));
    List<Scp> accountLevel =
        List.of(
            new Scp("FullAWSAccess", new Doc(HEAD + fullAccess + TAIL, 1)),
            new Scp(
                "DenyIamUsersAndKeys",
                new Doc(
                    HEAD
                        + statement(
                            "DenyIamUsersAndKeys",
                            "Deny",
                            List.of("iam:CreateUser", "iam:CreateAccessKey"),
                            List.of("*"),
                            "")
                        + TAIL,
                    1)));
    return List.of(root, workloads, accountLevel);
  }

  // ---- JSON text

  private static String statement(
      String sid, String effect, List<String> actions, List<String> resources, String condition) {
    StringBuilder s = new StringBuilder(160);
    open(s, sid, effect.equals("Allow"));
    list(s, "Action", actions);
    list(s, "Resource", resources);
    return s.append(condition).append('}').toString();
  }

  private static void open(StringBuilder s, String sid, boolean allow) {
    s.append('{');
    if (sid != null) {
      s.append("\"Sid\":\"").append(sid).append("\",");
    }
    s.append(allow ? "\"Effect\":\"Allow\"" : "\"Effect\":\"Deny\"");
  }

  /** {@code ,"Element":"value"} for one value, else an array, as people write them. */
  private static void list(StringBuilder s, String element, List<String> values) {
    s.append(",\"").append(element).append("\":");
    if (values.size() == 1) {
      s.append('"').append(values.get(0)).append('"');
      return;
    }
    s.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append('"').append(values.get(i)).append('"');
    }
    s.append(']');
  }

  private static Service service(SplittableRandom r) {
    int k = r.nextInt(SERVICE_WEIGHTS);
    for (Service s : SERVICES) {
      k -= s.weight();
      if (k < 0) {
        return s;
      }
    }
    throw new IllegalStateException("weights do not add up");
  }

  static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  static <T> T pick(SplittableRandom r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  /** A KMS key id: 32 hex digits in groups of 8-4-4-4-12. */
  private static String uuid(SplittableRandom r) {
    String hex = String.format("%016x%016x", r.nextLong(), r.nextLong());
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }
}
