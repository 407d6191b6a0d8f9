package dev.millrace.yarn;

import dev.millrace.crds.validation.InvalidSpecException;
import dev.millrace.runtime.cli.Millrace;
import dev.millrace.runtime.cli.StatusFlags;
import dev.millrace.runtime.cli.StopFlags;
import dev.millrace.runtime.cli.Subcommand;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.launch.Flags;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * {@code millrace submit|status|stop} for {@code --master yarn}: its own main, so that the runtime
 * never depends on YARN; {@code bin/millrace} hands these commands to it. The Hadoop configuration
 * comes from the class path ({@code HADOOP_CONF_DIR} on it), as for every Hadoop client.
 */
public final class YarnCli {
  private static final List<Subcommand> COMMANDS =
      List.of(Subcommand.SUBMIT, Subcommand.STATUS, Subcommand.STOP);

  private YarnCli() {}

  /** Runs the command with the cluster of the class path's configuration; exits with its code. */
  public static void main(String[] args) {
    List<Path> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        classPath.add(Path.of(entry));
      }
    }
    System.exit(
        run(Arrays.asList(args), new YarnConfiguration(), classPath, System.out, System.err));
  }

  /**
   * Runs {@code args} against the cluster of {@code conf}; {@code classPath} is what containers run
   * (the Millrace runtime and this module).
   */
  static int run(
      List<String> args,
      YarnConfiguration conf,
      List<Path> classPath,
      PrintStream out,
      PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("help")) {
      (args.isEmpty() ? err : out).print(Subcommand.overview(COMMANDS));
      return args.isEmpty() ? ExitCode.BAD_CONFIGURATION.code() : ExitCode.OK.code();
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    Optional<Subcommand> known = Subcommand.named(command).filter(COMMANDS::contains);
    if (known.isPresent() && Millrace.asksForHelp(rest)) {
      out.print(known.get().help());
      return ExitCode.OK.code();
    }
    try (YarnSubmitter client = new YarnSubmitter(conf, classPath, out)) {
      return switch (command) {
        case "submit" -> submit(client, rest, err);
        case "status" -> {
          client.printStatus(applicationId(Flags.parse(new StatusFlags(), rest).applicationId));
          yield ExitCode.OK.code();
        }
        case "stop" -> {
          StopFlags flags = Flags.parse(new StopFlags(), rest);
          ApplicationId id = applicationId(flags.applicationId);
          client.requestStop(id);
          yield flags.await ? exitCode(client.await(id, Duration.ofDays(365))) : 0;
        }
        default -> usage(err, "unknown command '" + command + "'");
      };
    } catch (InvalidSpecException e) {
      err.println("millrace: " + e.getMessage());
      err.println("millrace: nothing was staged or submitted; fix the spec and submit again");
      return ExitCode.BAD_CONFIGURATION.code();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("millrace: " + e.getMessage());
      return ExitCode.BAD_CONFIGURATION.code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.APPLICATION_FAILURE.code();
    } catch (Exception e) {
      err.println(
          "millrace: cannot reach the YARN cluster or its file system: "
              + e
              + "; check that HADOOP_CONF_DIR is on the class path and the ResourceManager"
              + " ("
              + conf.get(YarnConfiguration.RM_ADDRESS)
              + ") is up");
      return ExitCode.APPLICATION_FAILURE.code();
    }
  }

  private static int submit(YarnSubmitter client, List<String> args, PrintStream err)
      throws Exception {
    SubmitOptions options;
    try {
      options = SubmitOptions.parse(args);
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    }
    ApplicationId id = client.submit(options);
    return options.await() ? exitCode(client.await(id, Duration.ofDays(365))) : ExitCode.OK.code();
  }

  private static int exitCode(FinalApplicationStatus status) {
    return status == FinalApplicationStatus.SUCCEEDED
        ? ExitCode.OK.code()
        : ExitCode.APPLICATION_FAILURE.code();
  }

  private static ApplicationId applicationId(String text) {
    try {
      return ApplicationId.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a YARN application id such as application_1700000000000_0001");
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("millrace: " + problem);
    err.print(Subcommand.overview(COMMANDS));
    return ExitCode.BAD_CONFIGURATION.code();
  }
}
