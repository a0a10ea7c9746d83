package io.leadline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Parameters;

/**
 * {@code leadline help [COMMAND…]}: the help of a command at any depth ({@code help data pull}),
 * where picocli's own help command takes one name. A misspelt name is a usage error with a "did you
 * mean".
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the help of a command, e.g. 'leadline help data pull'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command, and its subcommand.")
  List<String> commands = new ArrayList<>();

  private CommandLine self;
  private ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(
      CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = out;
  }

  @Override
  public void run() {
    CommandLine shown = self.getParent();
    for (String name : commands) {
      CommandLine sub = shown.getSubcommands().get(name);
      if (sub == null) {
        throw io.leadline.api.LeadlineException.userInput(
            "'%s' is not a command of '%s'%s; its commands: %s",
            name,
            shown.getCommandSpec().qualifiedName(),
            io.leadline.api.Suggestions.didYouMean(name, shown.getSubcommands().keySet()),
            shown.getSubcommands().isEmpty()
                ? "none"
                : String.join(", ", shown.getSubcommands().keySet()));
      }
      shown = sub;
    }
    shown.usage(out, colors);
  }
}
