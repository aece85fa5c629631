package dev.rolegate.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link InstanceProfileAuthorizerBenchmark} with JMH's own command line (any JMH option may
 * be given and wins), filling in what is not given: the benchmark class, {@code -f 1 -wi 5 -w 2s -i
 * 5 -r 2s}, and a JSON result file (see {@link #RESULTS_FLAG}). Then prints a summary with the
 * ratios between the decisions and against the baseline, and the targets.
 *
 * <p>{@code bench/run-engine-bench.sh} builds the test classes and calls this.
 */
public final class RunEngineBench {
  private static final String CLASS = InstanceProfileAuthorizerBenchmark.class.getName();

  /**
   * First argument: where the results go unless {@code -rff} says, without the extension (a program
   * argument, not a system property, so that it stays out of the forks' JVM options).
   */
  private static final String RESULTS_FLAG = "--results=";

  private RunEngineBench() {}

  public static void main(String[] args)
      throws CommandLineOptionException, RunnerException, IOException {
    String defaultResults = "engine";
    if (args.length > 0 && args[0].startsWith(RESULTS_FLAG)) {
      defaultResults = args[0].substring(RESULTS_FLAG.length());
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    CommandLineOptions cli = new CommandLineOptions(args);
    if (cli.shouldHelp()
        || cli.shouldList()
        || cli.shouldListWithParams()
        || cli.shouldListProfilers()
        || cli.shouldListResultFormats()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      options.include(Pattern.quote(CLASS) + "\\.");
    }
    if (!cli.getForkCount().hasValue()) {
      options.forks(1);
    }
    if (!cli.getWarmupIterations().hasValue()) {
      options.warmupIterations(5);
    }
    if (!cli.getWarmupTime().hasValue()) {
      options.warmupTime(TimeValue.seconds(2));
    }
    if (!cli.getMeasurementIterations().hasValue()) {
      options.measurementIterations(5);
    }
    if (!cli.getMeasurementTime().hasValue()) {
      options.measurementTime(TimeValue.seconds(2));
    }
    ResultFormatType format = cli.getResultFormat().orElse(ResultFormatType.JSON);
    options.resultFormat(format);
    String resultFile = cli.getResult().orElse(null);
    if (resultFile == null) {
      resultFile =
          Path.of(defaultResults + "." + format.name().toLowerCase(Locale.ROOT))
              .toAbsolutePath()
              .normalize()
              .toString();
      options.result(resultFile);
    }
    Path parent = Path.of(resultFile).toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }

    Collection<RunResult> results = new Runner(options.build()).run();
    summary(results, resultFile);
  }

  private static void summary(Collection<RunResult> results, String resultFile) {
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      if (!r.getParams().getParamsKeys().isEmpty()) {
        List<String> params = new ArrayList<>();
        for (String k : r.getParams().getParamsKeys()) {
          params.add(k + "=" + r.getParams().getParam(k));
        }
        name += params;
      }
      byName.put(name, r);
    }
    RunResult baseline = byName.get("baselineBuildRequest");
    boolean averageTime =
        results.stream().allMatch(r -> r.getParams().getMode() == Mode.AverageTime);

    System.out.println();
    System.out.println("== rolegate engine benchmark (results: " + resultFile + ")");
    System.out.printf(
        "%-24s %14s %10s %-7s %12s %14s%n",
        "benchmark", "score", "error", "unit", "x baseline", "alloc B/op");
    for (Map.Entry<String, RunResult> e : byName.entrySet()) {
      Result<?> p = e.getValue().getPrimaryResult();
      String vsBaseline =
          baseline != null && averageTime
              ? "%.1f".formatted(p.getScore() / baseline.getPrimaryResult().getScore())
              : "-";
      Result<?> alloc = secondary(e.getValue(), "gc.alloc.rate.norm");
      System.out.printf(
          "%-24s %14.3f %10s %-7s %12s %14s%n",
          e.getKey(),
          p.getScore(),
          Double.isNaN(p.getScoreError()) ? "n/a" : "± %.3f".formatted(p.getScoreError()),
          p.getScoreUnit(),
          vsBaseline,
          alloc == null ? "-" : "%.0f".formatted(alloc.getScore()));
    }
    if (!averageTime) {
      return;
    }
    Double a = micros(byName.get("decideA1x2"));
    Double b = micros(byName.get("decideB20x10"));
    Double c = micros(byName.get("decideC200x10"));
    System.out.println();
    if (a != null && b != null) {
      System.out.printf("ratio b/a = %.2f%n", b / a);
    }
    if (b != null && c != null) {
      System.out.printf("ratio c/b = %.2f  (statements: 10x)%n", c / b);
    }
    if (a != null) {
      System.out.printf("target (a) <= 2 us:  %.3f us  %s%n", a, a <= 2 ? "met" : "MISSED");
    }
    if (b != null) {
      System.out.printf("target (b) <= 10 us: %.3f us  %s%n", b, b <= 10 ? "met" : "MISSED");
    }
    if (b != null && c != null) {
      double ratio = c / b;
      System.out.printf(
          "target c/b well under 10 (taken as <= 5): %.2f  %s%n",
          ratio,
          ratio <= 5 ? "met" : ratio < 10 ? "MISSED (under 10, but close to linear)" : "MISSED");
    }
  }

  private static Result<?> secondary(RunResult r, String suffix) {
    for (var e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith(suffix)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The score in microseconds per operation, or null when absent or in another unit. */
  private static Double micros(RunResult r) {
    if (r == null) {
      return null;
    }
    Result<?> p = r.getPrimaryResult();
    double perUs =
        switch (p.getScoreUnit()) {
          case "ns/op" -> 1e-3;
          case "us/op" -> 1;
          case "ms/op" -> 1e3;
          case "s/op" -> 1e6;
          default -> Double.NaN;
        };
    return Double.isNaN(perUs) ? null : p.getScore() * perUs;
  }
}
