package io.leadline.cli;

import io.leadline.api.LeadlineException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code leadline} command: the one {@code main} in Leadline. */
@Command(
    name = "leadline",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Measures large language models the way GPT-Fathom did: the same benchmarks, under fixed and"
          + " recorded settings."
    },
    subcommands = {
      ScoreCommand.class,
      ConventionsCommand.class,
      BenchmarksCommand.class,
      SettingsCommand.class,
      ExecCommand.class,
      SweepCommand.class,
      DiffCommand.class,
      EvolutionCommand.class,
      SensitivityCommand.class,
      ReportCommand.class,
      DataCommand.class,
      ServeSimCommand.class,
      ViewCommand.class,
      ServeCommand.class,
      BenchCommand.class,
      HelpCommand.class
    })
public final class Leadline implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  /** The process environment; tests substitute their own (for example HF_ENDPOINT). */
  Map<String, String> environment = System.getenv();

  /** Bare {@code leadline}: the help, as a usage error (a script that forgot the command fails). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(commandLine(out, err).execute(args));
  }

  /**
   * The configured command line; tests call {@code execute} on it in-process. Errors become one
   * line on {@code err} and an exit code: 2 for bad usage or input, 1 otherwise.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, System.getenv());
  }

  /** As {@link #commandLine(PrintWriter, PrintWriter)}, reading {@code environment}. */
  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, Map<String, String> environment) {
    Leadline leadline = new Leadline();
    leadline.environment = environment;
    CommandLine commandLine = new CommandLine(leadline);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(Leadline::handleParameterException);
    commandLine.setExecutionExceptionHandler(Leadline::handleExecutionException);
    commandLine.setExecutionStrategy(
        parseResult -> {
          Integer help = CommandLine.executeHelpRequest(parseResult);
          if (help != null) {
            commandDidNotRun();
            return help;
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    return commandLine;
  }

  /**
   * Tells {@code bin/leadline} not to keep the class-data archive this run writes (the file it
   * names in {@code leadline.cds.dump}, with {@code .partial} added): the command did not run (a
   * usage error, a help page), so the classes loaded are a few of those its runs load.
   */
  private static void commandDidNotRun() {
    String dump = System.getProperty("leadline.cds.dump");
    if (dump == null) {
      return;
    }
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dump + ".partial"), "");
    } catch (java.io.IOException | RuntimeException e) {
      // The archive is kept: later runs of the command are slower, not wrong.
    }
  }

  private static int handleParameterException(ParameterException e, String[] args) {
    commandDidNotRun();
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    command.getErr().printf("%s: %s (see '%s --help')%n", name, problem(e), name);
    command.getErr().flush();
    return 2;
  }

  /**
   * What was wrong, in one line: an unknown command or option with picocli's nearest suggestion
   * ({@code swep}: did you mean sweep?), else picocli's message.
   */
  private static String problem(ParameterException e) {
    if (!(e instanceof UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return e.getMessage();
    }
    CommandLine command = e.getCommandLine();
    String first = unmatched.getUnmatched().get(0);
    Optional<String> suggestion = unmatched.getSuggestions().stream().findFirst();
    if (unmatched.isUnknownOption()) {
      String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      return "unknown option '"
          + option
          + "'"
          + suggestion.map(s -> "; did you mean " + s + "?").orElse("");
    }
    Map<String, CommandLine> subcommands = command.getSubcommands();
    boolean commandExpected =
        !subcommands.isEmpty()
            && command.getCommandSpec().positionalParameters().isEmpty()
            && !first.startsWith("-");
    if (commandExpected) {
      return "unknown command '"
          + first
          + "'"
          + suggestion
              .map(s -> "; did you mean " + s + "?")
              .orElse("; commands: " + String.join(", ", subcommands.keySet()));
    }
    if (command.getCommandSpec().positionalParameters().isEmpty() && !first.startsWith("-")) {
      return "unexpected argument '" + first + "'; it takes options only";
    }
    return e.getMessage();
  }

  private static int handleExecutionException(
      Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    // Spark wraps an error raised in a task (a data file's line, an unwritable store) in its own
    // exceptions, often twice: the user's line is the LeadlineException at the bottom.
    LeadlineException leadline = leadlineCause(e);
    if (leadline != null) {
      err.printf("%s: %s%n", name, firstLine(leadline.getMessage()));
      err.flush();
      return leadline.kind().exitCode();
    }
    // Spark's messages carry the remote stack trace after the first line.
    err.printf("%s: internal error: %s%n", name, firstLine(String.valueOf(e)));
    if (System.getenv("LEADLINE_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("(set LEADLINE_DEBUG=1 to see the stack trace, and please report it)");
    }
    err.flush();
    return 1;
  }

  /** The first LeadlineException in {@code e}'s cause chain, or null. */
  static LeadlineException leadlineCause(Throwable e) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof LeadlineException leadline) {
        return leadline;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).stripTrailing();
  }
}
