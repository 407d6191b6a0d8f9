package dev.millrace.runtime.cli;

import dev.millrace.runtime.driver.DriverFlags;
import dev.millrace.runtime.executor.ExecutorFlags;
import dev.millrace.runtime.launch.Flags;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The commands of {@code millrace}, each with the class that declares its flags: the one source of
 * the help that {@code millrace help} prints for all and {@code millrace <command> --help} for one,
 * generated from those declarations. {@code submit}, {@code status} and {@code stop} run in the
 * YARN client ({@code dev.millrace.yarn.YarnCli}, which {@code bin/millrace} starts), which prints
 * the same help.
 */
public enum Subcommand {
  RUN(RunFlags::new),
  DEMO(DemoFlags::new),
  EXAMPLE(ExampleFlags::new),
  APP(AppFlags::new),
  DRIVER(DriverFlags::new),
  EXECUTOR(ExecutorFlags::new),
  SUBMIT(SubmitFlags::new),
  STATUS(StatusFlags::new),
  STOP(StopFlags::new),
  HELP(HelpFlags::new);

  private static final String EXIT_CODES =
      """

      exit codes: 0 stopped or finished, 1 the application failed (a supervisor restarts it),
                  65 checkpoint written by an incompatible build, 66 input the recovery needs
                  is gone, 74 damaged checkpoint, 75 checkpoint held by another driver,
                  78 bad command line or configuration (never restarted)
      """;

  private final Supplier<Object> flags;

  Subcommand(Supplier<Object> flags) {
    this.flags = flags;
  }

  /** The command's name as typed: {@code run}, {@code submit}. */
  public String command() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The command named {@code name}, if there is one. */
  public static Optional<Subcommand> named(String name) {
    return Arrays.stream(values()).filter(c -> c.command().equals(name)).findFirst();
  }

  /** What {@code millrace <command> --help} prints. */
  public String help() {
    StringBuilder help = new StringBuilder(Flags.help(flags.get()));
    if (this == EXAMPLE || this == APP) {
      help.append(runOptions());
    }
    if (this != HELP && this != STATUS) {
      help.append(EXIT_CODES);
    }
    return help.toString();
  }

  /** What {@code millrace help} prints: every command, and what the commands share. */
  public static String overview() {
    return overview(List.of(values())) + runOptions() + EXIT_CODES;
  }

  /** The synopsis and description of each of {@code commands}. */
  public static String overview(List<Subcommand> commands) {
    return "usage: millrace <command> [options]; millrace <command> --help says more of one\n\n"
        + "commands:\n"
        + commands.stream()
            .map(c -> Flags.synopsis(c.flags.get(), "  ") + Flags.description(c.flags.get(), 6))
            .collect(Collectors.joining());
  }

  /** The options of an application that {@code example} and {@code app} run, and the examples. */
  private static String runOptions() {
    return "\noptions for example and app, after the class or example name (what follows -- goes"
        + " to the application, --help too):\n"
        + Flags.optionList(new ApplicationRunFlags())
        + "\nexamples: "
        + ExampleFlags.EXAMPLES
        + "\n";
  }
}
