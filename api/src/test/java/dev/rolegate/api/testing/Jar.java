package dev.rolegate.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar ({@code api/target/rolegate.jar}), run as a user runs it, in a process. */
public final class Jar {
  private static final Path JAR = Path.of("target/rolegate.jar");

  private Jar() {}

  /** Runs {@code java -jar rolegate.jar ARGS} with no input and waits up to 60 s for its end. */
  public static CommandOutput run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  /** The same, with {@code env} added to this process's environment. */
  public static CommandOutput run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = command(args);
    Path out = Files.createTempFile("rolegate-jar", ".out");
    Path err = Files.createTempFile("rolegate-jar", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      p.getOutputStream().close();
      boolean ended = p.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly().waitFor();
      }
      assertTrue(ended, "the jar did not finish");
      return new CommandOutput(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** A process of the jar that runs on (a node), its output going to a file as it comes. */
  public record Running(Process process, Path out) implements AutoCloseable {
    /** Its output once it holds {@code text}, or after 60 s. */
    public String awaitOutput(String text) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + 60_000_000_000L;
      String seen = Files.readString(out, StandardCharsets.UTF_8);
      while (!seen.contains(text) && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        seen = Files.readString(out, StandardCharsets.UTF_8);
      }
      return seen;
    }

    /** Stops it as an orchestrator does (SIGTERM), and answers all it wrote. */
    public String stop() throws IOException, InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(out);
    }
  }

  /**
   * Starts {@code java -jar rolegate.jar ARGS} with {@code env} added; stdout and stderr merged.
   */
  public static Running start(Map<String, String> env, String... args) throws IOException {
    Path out = Files.createTempFile("rolegate-jar", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().putAll(env);
    return new Running(builder.start(), out);
  }
}
