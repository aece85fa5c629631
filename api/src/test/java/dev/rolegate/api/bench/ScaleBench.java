package dev.rolegate.api.bench;

import dev.rolegate.api.decision.DecisionService;
import dev.rolegate.api.snapshot.AccountBuild;
import dev.rolegate.api.snapshot.PolicySnapshots;
import dev.rolegate.api.snapshot.ResolvedPrincipal;
import dev.rolegate.api.snapshot.ResolvedRole;
import dev.rolegate.engine.operation.InstanceProfileAuthorizer;
import dev.rolegate.engine.operation.InstanceProfileDecision;
import dev.rolegate.engine.operation.InstanceProfileOperation;
import dev.rolegate.engine.operation.InstanceProfileRequest;
import dev.rolegate.engine.request.Principal;
import dev.rolegate.persistence.store.Arns;
import dev.rolegate.persistence.store.ChangeFeed;
import dev.rolegate.persistence.store.DecisionInputsReader.PrincipalRef;
import dev.rolegate.persistence.store.DecisionInputsReader.RoleRef;
import dev.rolegate.persistence.store.Precondition;
import dev.rolegate.persistence.store.ServiceControlPolicies;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The scale benchmark of issue 4 (run it with {@code bench/run-scale-bench.sh}): a large account
 * ({@link ScaleAccount.Shape#FULL}) and a small one ({@link ScaleAccount.Shape#SMALL}, about 1,000
 * statements) generated into one database, then, in one process:
 *
 * <ol>
 *   <li>the large account loaded whole from PostgreSQL ({@link PolicySnapshots#load}) several
 *       times: wall time per load, and the heap: peak during a load and retained after it (both
 *       after a full GC, so they count live data, not garbage waiting to be collected);
 *   <li>decisions for principals sampled from each account, taken from the loaded snapshot as the
 *       service takes them (the store's keys from the request's ARNs, held principal and role, then
 *       the engine), timed one by one in rounds that alternate between the workloads so that the
 *       machine's noise hits all alike: the median of each and their ratios. Three workloads:
 *       principals of the large account drawn at random, principals of the small account, and
 *       principals of the large account with as many identity statements as those of the small
 *       sample (the same shape, so that only the account's size differs);
 *   <li>the same decisions as a caller sees them: {@code POST /v1/decisions/instance-profile} to
 *       the node's HTTP server, one at a time over one kept-alive connection, each timed from
 *       request to answer, with the audit log on, alternating between the large account's
 *       same-shape principals and the small account's: the median of each and their ratio;
 *   <li>a change of the large account's SCP levels, as the node that made it applies it: the time
 *       to swap that layer of every principal it holds.
 * </ol>
 *
 * Results: one JSON object in the file given as the second argument.
 */
public final class ScaleBench {
  static final String LARGE = "900000000001";
  static final String SMALL = "900000000002";
  static final String TOKEN = "scale-bench-token";

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path results = Path.of(args[1]);
    int loads = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    ScaleAccount.migrate(url, "postgres", "");
    generate(url, LARGE, ScaleAccount.Shape.FULL);
    generate(url, SMALL, ScaleAccount.Shape.SMALL);

    Map<String, Object> props = new LinkedHashMap<>();
    props.put("datasources.default.url", url);
    props.put("datasources.default.username", "postgres");
    props.put("rolegate.bootstrap-token", TOKEN);
    props.put("rolegate.snapshot.preload", "false");
    props.put("rolegate.audit.spool-dir", Files.createTempDirectory("rolegate-spool").toString());
    props.put("micronaut.server.port", -1);
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
      ApplicationContext context = server.getApplicationContext();
      PolicySnapshots snapshots = context.getBean(PolicySnapshots.class);
      if (!snapshots.await(0, java.time.Duration.ofSeconds(30))) {
        throw new IllegalStateException("the node did not catch up with the store");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("heapMaxMiB", Runtime.getRuntime().maxMemory() >> 20);
      out.put("availableProcessors", Runtime.getRuntime().availableProcessors());

      // 1. Loads of the large account.
      List<Double> seconds = new ArrayList<>();
      List<Long> peaks = new ArrayList<>();
      long retained = 0;
      AccountBuild.Built large = null;
      for (int i = 0; i < loads; i++) {
        large = null;
        // As after an import of the account: the node drops all it held of it, then loads it.
        snapshots.notified(ChangeFeed.Notice.wholeAccount(snapshots.applied(), LARGE));
        long before = liveHeap();
        resetPeaks();
        long started = System.nanoTime();
        large = snapshots.load(LARGE).orElseThrow();
        seconds.add((System.nanoTime() - started) / 1e9);
        peaks.add(peakHeap());
        retained = liveHeap() - before;
        System.out.printf(
            "load %d: %.2f s, heap peak %d MiB, retained %d MiB%n",
            i + 1, seconds.getLast(), peaks.getLast() >> 20, retained >> 20);
      }
      // The read alone (after the loads, so that it does not warm them up).
      var reader = context.getBean(dev.rolegate.persistence.store.DecisionInputsReader.class);
      long readStarted = System.nanoTime();
      reader.account(LARGE, row -> {}).value().orElseThrow();
      out.put("readSeconds", round2((System.nanoTime() - readStarted) / 1e9));
      out.put("principals", large.principals().size());
      out.put("roles", large.roles().size());
      out.put("statements", large.statements());
      out.put("loadSeconds", seconds);
      out.put("loadSecondsMedian", median(seconds));
      out.put("heapPeakMiB", peaks.stream().map(p -> p >> 20).toList());
      out.put("heapRetainedMiB", retained >> 20);

      // 2. Decisions at scale against the small account.
      AccountBuild.Built small = snapshots.load(SMALL).orElseThrow();
      Workload little = new Workload(snapshots, SMALL, small, sample(small, 2_000, new Random(2)));
      Workload big = new Workload(snapshots, LARGE, large, sample(large, 2_000, new Random(1)));
      // The large account's principals whose policies are as many as those of the small sample:
      // what differs from the small account is then the account's size alone.
      Workload matched =
          new Workload(snapshots, LARGE, large, matching(snapshots, large, little, new Random(3)));
      // The same shapes, 20 principals over and over: their data stays in the CPU's caches, so what
      // remains of the difference is not the memory's latency.
      Workload matchedHot = new Workload(snapshots, LARGE, large, repeat(matched.principals, 20));
      Workload littleHot = new Workload(snapshots, SMALL, small, repeat(little.principals, 20));
      List<Workload> all = List.of(big, matched, little, matchedHot, littleHot);
      for (int round = 0; round < 20; round++) {
        all.forEach(w -> w.run(null));
      }
      List<Long> bigTimes = new ArrayList<>();
      List<Long> matchedTimes = new ArrayList<>();
      List<Long> littleTimes = new ArrayList<>();
      List<Long> matchedHotTimes = new ArrayList<>();
      List<Long> littleHotTimes = new ArrayList<>();
      for (int round = 0; round < 40; round++) {
        big.run(bigTimes);
        matched.run(matchedTimes);
        little.run(littleTimes);
        matchedHot.run(matchedHotTimes);
        littleHot.run(littleHotTimes);
      }
      double bigP50 = percentile(bigTimes, 0.50) / 1000.0;
      double matchedP50 = percentile(matchedTimes, 0.50) / 1000.0;
      double littleP50 = percentile(littleTimes, 0.50) / 1000.0;
      out.put("decisionP50MicrosLargeSameShape", round2(matchedP50));
      out.put("decisionP50RatioSameShape", round2(matchedP50 / littleP50));
      out.put("identityStatementsMedianLargeSameShape", matched.medianIdentityStatements());
      double matchedHotP50 = percentile(matchedHotTimes, 0.50) / 1000.0;
      double littleHotP50 = percentile(littleHotTimes, 0.50) / 1000.0;
      out.put("decisionP50MicrosLargeSameShapeCached", round2(matchedHotP50));
      out.put("decisionP50MicrosSmallCached", round2(littleHotP50));
      out.put("decisionP50RatioSameShapeCached", round2(matchedHotP50 / littleHotP50));
      out.put("smallStatements", small.statements());
      out.put("decisionP50MicrosLarge", round2(bigP50));
      out.put("decisionP50MicrosSmall", round2(littleP50));
      out.put("decisionP99MicrosLarge", round2(percentile(bigTimes, 0.99) / 1000.0));
      out.put("decisionP99MicrosSmall", round2(percentile(littleTimes, 0.99) / 1000.0));
      out.put("decisionP50Ratio", round2(bigP50 / littleP50));
      out.put("identityStatementsMedianLarge", big.medianIdentityStatements());
      out.put("identityStatementsMedianSmall", little.medianIdentityStatements());
      out.put("allowedShareLarge", round2(big.allowed / (double) big.decided));
      out.put("allowedShareSmall", round2(little.allowed / (double) little.decided));
      out.put(
          "nearMissesPerDecisionLargeSameShape",
          round2(matched.nearMisses / (double) matched.decided));
      out.put("nearMissesPerDecisionSmall", round2(little.nearMisses / (double) little.decided));
      out.put(
          "findingsPerDecisionLargeSameShape", round2(matched.findings / (double) matched.decided));
      out.put("findingsPerDecisionSmall", round2(little.findings / (double) little.decided));

      // 3. The same-shape decisions over HTTP, as a caller sees them.
      HttpDecisions overHttpLarge = new HttpDecisions(server, matched);
      HttpDecisions overHttpSmall = new HttpDecisions(server, little);
      for (int round = 0; round < 3; round++) {
        overHttpLarge.run(null);
        overHttpSmall.run(null);
      }
      List<Long> httpLarge = new ArrayList<>();
      List<Long> httpSmall = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        overHttpLarge.run(httpLarge);
        overHttpSmall.run(httpSmall);
      }
      double httpLargeP50 = percentile(httpLarge, 0.50) / 1000.0;
      double httpSmallP50 = percentile(httpSmall, 0.50) / 1000.0;
      out.put("httpDecisionP50MicrosLargeSameShape", round2(httpLargeP50));
      out.put("httpDecisionP50MicrosSmall", round2(httpSmallP50));
      out.put("httpDecisionP50RatioSameShape", round2(httpLargeP50 / httpSmallP50));
      out.put("httpDecisionP99MicrosLargeSameShape", round2(percentile(httpLarge, 0.99) / 1000.0));
      out.put("httpDecisionP99MicrosSmall", round2(percentile(httpSmall, 0.99) / 1000.0));

      // 4. A change of the large account's SCP levels (written back as they are): the node swaps
      // that layer of every principal it holds instead of loading the account again. Last, so that
      // the new copies do not change the memory layout the decisions above were timed on.
      ServiceControlPolicies scps = context.getBean(ServiceControlPolicies.class);
      List<List<ServiceControlPolicies.Scp>> levels = scps.get(LARGE).orElseThrow().value();
      List<Double> swaps = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long revision = scps.put(LARGE, levels, new Precondition.None(), "scale-bench");
        long started = System.nanoTime();
        snapshots.changed(revision, LARGE);
        swaps.add(round2((System.nanoTime() - started) / 1e6));
        long held = snapshots.held().principals();
        if (held != large.principals().size() + small.principals().size()) {
          throw new IllegalStateException("the SCP change dropped principals: " + held + " held");
        }
      }
      out.put("scpChangeMillis", swaps);
      String json = toJson(out);
      Files.writeString(results, json + "\n");
      System.out.println(json);
    }
  }

  /** Generates the account unless the database holds it already (generation takes minutes). */
  static void generate(String url, String accountId, ScaleAccount.Shape shape) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      try (var ps = c.prepareStatement("SELECT 1 FROM account WHERE account_id = ?")) {
        ps.setString(1, accountId);
        if (ps.executeQuery().next()) {
          return;
        }
      }
      long started = System.nanoTime();
      var summary = ScaleAccount.write(c, accountId, shape, 42);
      System.out.printf(
          "generated %s in %.1f s: %s%n", accountId, (System.nanoTime() - started) / 1e9, summary);
    }
  }

  /** Decisions for principals sampled from one loaded account, each with a role of the account. */
  static final class Workload {
    final PolicySnapshots snapshots;
    final List<PrincipalRef> principals = new ArrayList<>();
    final List<String> callerArns = new ArrayList<>();
    final List<String> roleArns = new ArrayList<>();
    final String instance;
    long decided;
    long allowed;

    /**
     * What the timed decisions found besides their answer: the same shape does not mean the same
     * work, and a decision with more near misses and findings costs more wherever its data is.
     */
    long nearMisses;

    long findings;

    Workload(
        PolicySnapshots snapshots,
        String accountId,
        AccountBuild.Built built,
        List<PrincipalRef> sample) {
      this.snapshots = snapshots;
      this.instance = "arn:aws:ec2:us-east-1:" + accountId + ":instance/i-0123456789abcdef0";
      List<RoleRef> allRoles = new ArrayList<>(built.roles().keySet());
      allRoles.sort(java.util.Comparator.comparing(RoleRef::toString));
      Random random = new Random(sample.size());
      for (PrincipalRef p : sample) {
        principals.add(p);
        String arn =
            p.isUser()
                ? Arns.user(accountId, p.path(), p.name())
                : "arn:aws:sts::" + accountId + ":assumed-role/" + p.name() + "/bench";
        callerArns.add(arn);
        RoleRef r = allRoles.get(random.nextInt(allRoles.size()));
        roleArns.add(Arns.role(accountId, r.path(), r.name()));
      }
    }

    /** A copy of the text that shares no memory with it. */
    private static String fresh(String s) {
      return new String(s.toCharArray());
    }

    /** The median number of identity statements of the sampled principals. */
    int medianIdentityStatements() {
      int[] n =
          principals.stream()
              .mapToInt(
                  p -> snapshots.heldPrincipal(p).orElseThrow().policies().identityStatements())
              .sorted()
              .toArray();
      return n[n.length / 2];
    }

    /**
     * One decision per sampled principal; each one's nanoseconds added to {@code times}. Each
     * starts from what a parsed request hands the service, the caller and the role's ARN, as new
     * objects (in the CPU's cache, as a request's just parsed are), and is timed over the steps the
     * service takes from there ({@link DecisionService#decideWithoutWaiting}): the store's keys,
     * the held principal and role, and the engine.
     */
    void run(List<Long> times) {
      for (int i = 0; i < principals.size(); i++) {
        Principal caller = Principal.parse(fresh(callerArns.get(i))).orElseThrow();
        String roleArn = fresh(roleArns.get(i));
        long started = System.nanoTime();
        PolicySnapshots.Together held =
            DecisionService.roleRef(roleArn)
                .flatMap(role -> snapshots.held(DecisionService.ref(caller), role))
                .orElseThrow();
        ResolvedPrincipal p = held.principal();
        ResolvedRole r = held.role();
        InstanceProfileRequest request =
            new InstanceProfileRequest(
                caller,
                InstanceProfileOperation.ASSOCIATE,
                instance,
                Optional.of(roleArn),
                Map.of("aws:SourceIp", List.of("203.0.113.7")),
                r.facts());
        InstanceProfileDecision decision =
            InstanceProfileAuthorizer.authorize(request, p.policies());
        long took = System.nanoTime() - started;
        if (times != null) {
          times.add(took);
          decided++;
          allowed += decision.allowed() ? 1 : 0;
          decision.checks().forEach(c -> nearMisses += c.nearMisses().size());
          findings += decision.findings().size();
        }
      }
    }
  }

  /** A workload's decisions sent to the node's HTTP server, one at a time. */
  static final class HttpDecisions {
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<HttpRequest> requests = new ArrayList<>();

    HttpDecisions(EmbeddedServer server, Workload w) {
      URI uri = server.getURI().resolve("/v1/decisions/instance-profile");
      for (int i = 0; i < w.callerArns.size(); i++) {
        String body =
            "{\"principal\":\""
                + w.callerArns.get(i)
                + "\",\"operation\":\"associate\",\"instanceArn\":\""
                + w.instance
                + "\",\"roleArn\":\""
                + w.roleArns.get(i)
                + "\",\"context\":{\"aws:SourceIp\":\"203.0.113.7\"}}";
        requests.add(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
      }
    }

    /** One request per principal; each round trip's nanoseconds added to {@code times}. */
    void run(List<Long> times) throws IOException, InterruptedException {
      for (HttpRequest request : requests) {
        long started = System.nanoTime();
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - started;
        if (answer.statusCode() != 200) {
          throw new IllegalStateException(answer.statusCode() + ": " + answer.body());
        }
        if (times != null) {
          times.add(took);
        }
      }
    }
  }

  /** The first {@code distinct} principals, repeated to as many as given. */
  static List<PrincipalRef> repeat(List<PrincipalRef> principals, int distinct) {
    List<PrincipalRef> out = new ArrayList<>();
    for (int i = 0; i < principals.size(); i++) {
      out.add(principals.get(i % distinct));
    }
    return out;
  }

  /** N principals of the account drawn at random (with repeats), in a stable order. */
  static List<PrincipalRef> sample(AccountBuild.Built built, int n, Random random) {
    List<PrincipalRef> all = new ArrayList<>(built.principals().keySet());
    all.sort(java.util.Comparator.comparing(PrincipalRef::toString));
    List<PrincipalRef> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get(random.nextInt(all.size())));
    }
    return out;
  }

  /**
   * For each principal of the other workload, a principal of this account with the same number of
   * identity statements (the nearest when none has exactly as many), drawn at random among them.
   */
  static List<PrincipalRef> matching(
      PolicySnapshots snapshots, AccountBuild.Built built, Workload other, Random random) {
    java.util.TreeMap<Integer, List<PrincipalRef>> byCount = new java.util.TreeMap<>();
    List<PrincipalRef> all = new ArrayList<>(built.principals().keySet());
    all.sort(java.util.Comparator.comparing(PrincipalRef::toString));
    for (PrincipalRef p : all) {
      byCount.computeIfAbsent(statements(snapshots, p), k -> new ArrayList<>()).add(p);
    }
    List<PrincipalRef> out = new ArrayList<>();
    for (PrincipalRef p : other.principals) {
      int n = statements(snapshots, p);
      Integer below = byCount.floorKey(n);
      Integer above = byCount.ceilingKey(n);
      int key =
          below == null ? above : above == null ? below : (n - below <= above - n ? below : above);
      List<PrincipalRef> candidates = byCount.get(key);
      out.add(candidates.get(random.nextInt(candidates.size())));
    }
    return out;
  }

  static int statements(PolicySnapshots snapshots, PrincipalRef p) {
    return snapshots.heldPrincipal(p).orElseThrow().policies().identityStatements();
  }

  static long liveHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The sum of the heap pools' peaks since the reset: an upper bound of the heap in use. */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static double percentile(List<Long> values, double q) {
    long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static String toJson(Map<String, Object> map) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
  }
}
