package dev.rolegate.api;

import dev.rolegate.api.cli.EvalCommand;
import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar rolegate.jar COMMAND ...}: the entry point of the jar. */
public final class Rolegate {
  static final String USAGE =
      """
      usage: java -jar rolegate.jar eval CASES.json [--check]

        eval    evaluate the cases of a case file (conformance/FORMAT.md) offline and print one
                JSON line per case; --check compares each decision with the case's `expected`
                and exits 1 on any mismatch
      """;

  private Rolegate() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    return switch (args[0]) {
      case "eval" -> EvalCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      default -> {
        err.println("rolegate: unknown command `" + args[0] + "`");
        err.print(USAGE);
        yield 2;
      }
    };
  }
}
