package dev.millrace.runtime.cli;

import dev.millrace.runtime.driver.Driver;
import dev.millrace.runtime.driver.DriverConfigurationException;
import dev.millrace.runtime.driver.DriverOptions;
import dev.millrace.runtime.executor.Executor;
import dev.millrace.runtime.executor.ExecutorOptions;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import dev.millrace.runtime.logs.LogLimits;
import dev.millrace.runtime.logs.ProcessLogging;
import dev.millrace.streaming.ConfigurationException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code millrace} command: runs the demo, the examples, any streaming application in this
 * process, and an application's driver as the backends launch it. Prints for humans; exit codes
 * follow {@link ExitCode}.
 */
public final class Millrace {
  private Millrace() {}

  /**
   * Starts logging, runs the command and exits with its code. A process {@code millrace run} starts
   * logs into the file {@link LogLimits#LOG_FILE_PROPERTY} names, with what it prints; the
   * process's own standard output and error go to the same file, for what the JVM writes itself.
   */
  public static void main(String[] args) {
    Optional<Path> logFile =
        Optional.ofNullable(System.getProperty(LogLimits.LOG_FILE_PROPERTY)).map(Path::of);
    try {
      ProcessLogging.start(
          System.getenv(),
          logFile,
          Optional.ofNullable(System.getProperty(ProcessLogging.STDOUT_FILE_PROPERTY))
              .map(Path::of));
    } catch (ConfigurationException e) {
      System.err.println("millrace: cannot start logging: " + e.getMessage());
      System.exit(ExitCode.BAD_CONFIGURATION.code());
      return;
    }
    int code = run(Arrays.asList(args), System.out, System.err);
    System.exit(code);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.print(Subcommand.overview());
      return ExitCode.BAD_CONFIGURATION.code();
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    // Asking for help wins over every other flag, known or not, as the help says how to use them.
    if (isHelp(command)) {
      return help(null, out, err);
    }
    if (asksForHelp(rest) && !command.equals("help")) {
      return help(command, out, err);
    }
    try {
      if (command.equals("help")) {
        return help(Flags.parse(new HelpFlags(), rest).command, out, err);
      }
      return switch (command) {
        case "demo" -> AppCommand.demo(rest).code();
        case "example" -> AppCommand.example(rest).code();
        case "app" -> AppCommand.app(rest).code();
        case "run" -> RunCommand.run(rest, out, err);
        case "driver" -> new Driver(DriverOptions.parse(rest)).run().code();
        case "executor" -> new Executor(ExecutorOptions.parse(rest)).run().code();
        case "submit", "status", "stop" ->
            throw new UsageException(
                command
                    + " runs on YARN through bin/millrace (dev.millrace.yarn.YarnCli of"
                    + " millrace-yarn-am, with HADOOP_CONF_DIR on its class path): run"
                    + " 'bin/millrace "
                    + command
                    + " --help'");
        default ->
            throw new UsageException(
                "unknown command '" + command + "'; run 'millrace help' to see the commands");
      };
    } catch (UsageException | DriverConfigurationException | ConfigurationException e) {
      // Only Millrace's own checks, and an application's explicit ConfigurationException, are a
      // bad configuration: a supervisor never restarts it.
      err.println("millrace: " + e.getMessage());
      return ExitCode.BAD_CONFIGURATION.code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.APPLICATION_FAILURE.code();
    } catch (RuntimeException | LinkageError e) {
      // Whatever else fails, the application's code above all, may work on the next attempt.
      err.println("millrace: " + args.get(0) + " failed: " + e);
      e.printStackTrace(err);
      return ExitCode.APPLICATION_FAILURE.code();
    }
  }

  /** Prints the help of {@code command}, or of every command if it is null; 0 if it exists. */
  private static int help(String command, PrintStream out, PrintStream err) {
    if (command == null) {
      out.print(Subcommand.overview());
      return ExitCode.OK.code();
    }
    Optional<Subcommand> known = Subcommand.named(command);
    if (known.isEmpty()) {
      err.println("millrace: unknown command '" + command + "'; run 'millrace help' to see them");
      return ExitCode.BAD_CONFIGURATION.code();
    }
    out.print(known.get().help());
    return ExitCode.OK.code();
  }

  /**
   * Whether {@code args}, before a {@code --} that hands the rest to an application, ask for help.
   */
  public static boolean asksForHelp(List<String> args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (isHelp(arg)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }
}
