package dev.millrace.runtime.cli;

import dev.millrace.runtime.driver.Driver;
import dev.millrace.runtime.driver.DriverConfigurationException;
import dev.millrace.runtime.driver.DriverOptions;
import dev.millrace.runtime.executor.Executor;
import dev.millrace.runtime.executor.ExecutorOptions;
import dev.millrace.runtime.recovery.CheckpointIncompatibleException;
import dev.millrace.streaming.StreamingApplication;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code millrace} command: runs the demo, the examples, any streaming application in this
 * process, and an application's driver as the backends launch it. Prints for humans; exit codes
 * follow {@link ExitCode}.
 */
public final class Millrace {
  static final String EXAMPLES_PACKAGE = "dev.millrace.examples.";

  private static final String USAGE =
      """
      usage: millrace <command> [options]

      commands:
        run app.yaml [--run-dir DIR]   run and supervise a StreamingApp spec with driver
                                       processes on this machine: restarts from the checkpoint
                                       per its restartPolicy; Ctrl-C stops it gracefully
        demo [--files N]               a supervised word count that writes its own input, is
                                       killed with SIGKILL once and recovers with exact output
        example <Name> [options] [--] [args]
                                       run an example, e.g. NetworkWordCount localhost 9999
        app <class> [options] [--] [args]
                                       run your StreamingApplication class from the classpath
        driver --spec <file> [--attempt N] [--http-port P] [--address-file F]
               [--executor-port E] [--executor-address-file G] [--supervisor-pid PID]
               [--fresh-checkpoint]
                                       run the StreamingApp in <file> as its driver, as every
                                       backend starts it; serves GET /healthz and /api/v1/status
                                       on port P (default: a free one), whose host:port goes to F;
                                       accepts executors on port E (default: a free one), whose
                                       host:port goes to G; the attempt N is the driver epoch;
                                       stops gracefully when process PID ends; with
                                       --fresh-checkpoint, first moves the checkpoint aside
        executor --driver <host:port> --app <name> [--spec <file>] [--id exec-1] [--cores N]
                 [--memory 1Gi] [--driver-timeout 5m] [--supervisor-pid PID]
                                       register with the driver at host:port (its executor
                                       address) and heartbeat; re-register when it restarts;
                                       with the driver's spec <file>, run the map side of its
                                       shuffles and own partitions of its keyed state; exit 1
                                       when no driver answers for the timeout,
                                       0 when process PID ends
        help                           show this help

      options for example and app:
        --master local[N]              task threads in this process (default local[2])
        --batch-interval 1s            batch interval: 200ms, 1s, 1m (default 1s)
        --conf key=value               an engine setting, e.g. millrace.default.parallelism=4

      examples: NetworkWordCount, StatefulNetworkWordCount, WindowedNetworkWordCount,
                FileWordCount, Demo
      exit codes: 0 stopped or finished, 1 application failed, 65 incompatible checkpoint,
                  78 bad command line or configuration
      """;

  private Millrace() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    int code = run(Arrays.asList(args), System.out, System.err);
    System.exit(code);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
      out.print(USAGE);
      return args.isEmpty() ? ExitCode.BAD_CONFIGURATION.code() : ExitCode.OK.code();
    }
    try {
      String command = args.get(0);
      List<String> rest = args.subList(1, args.size());
      return switch (command) {
        case "demo" -> runMain(EXAMPLES_PACKAGE + "Demo", rest).code();
        case "example" ->
            runClass(EXAMPLES_PACKAGE + requireName(rest, "example"), rest.subList(1, rest.size()))
                .code();
        case "app" -> runClass(requireName(rest, "app"), rest.subList(1, rest.size())).code();
        case "run" -> RunCommand.run(rest, out, err);
        case "driver" -> new Driver(DriverOptions.parse(rest)).run().code();
        case "executor" -> new Executor(ExecutorOptions.parse(rest)).run().code();
        default ->
            throw new UsageException(
                "unknown command '" + command + "'; run 'millrace help' to see the commands");
      };
    } catch (UsageException
        | DriverConfigurationException
        | IllegalArgumentException
        | IllegalStateException e) {
      err.println("millrace: " + e.getMessage());
      return ExitCode.BAD_CONFIGURATION.code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.APPLICATION_FAILURE.code();
    }
  }

  private static String requireName(List<String> rest, String command) {
    if (rest.isEmpty()) {
      throw new UsageException(
          command + " needs a class name; run 'millrace help' to see an example");
    }
    return rest.get(0);
  }

  private static ExitCode runClass(String className, List<String> args)
      throws InterruptedException {
    Class<?> type = load(className);
    if (StreamingApplication.class.isAssignableFrom(type)) {
      StreamingApplication app = instantiate(type);
      return ApplicationRunner.run(app, type.getSimpleName(), RunOptions.parse(args));
    }
    return runMain(className, args);
  }

  private static ExitCode runMain(String className, List<String> args) {
    Method main;
    try {
      main = load(className).getMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      throw new UsageException(
          className + " is neither a StreamingApplication nor a class with a main method");
    }
    if (!Modifier.isStatic(main.getModifiers())) {
      throw new UsageException(className + ".main must be static");
    }
    try {
      main.invoke(null, (Object) args.toArray(String[]::new));
      return ExitCode.OK;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CheckpointIncompatibleException) {
        System.err.println("millrace: " + className + " cannot resume: " + cause.getMessage());
        return ExitCode.CHECKPOINT_INCOMPATIBLE;
      }
      ExitCode checkpointExit = ApplicationRunner.exitCodeOf(cause);
      if (checkpointExit != ExitCode.APPLICATION_FAILURE) {
        System.err.println("millrace: " + className + ": " + cause.getMessage());
        return checkpointExit;
      }
      if (cause instanceof IllegalArgumentException || cause instanceof UsageException) {
        throw new UsageException(cause.getMessage());
      }
      System.err.println("millrace: " + className + " failed: " + cause);
      return ExitCode.APPLICATION_FAILURE;
    } catch (IllegalAccessException e) {
      throw new UsageException(className + ".main is not public");
    }
  }

  private static Class<?> load(String className) {
    try {
      return Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "class "
              + className
              + " is not on the classpath. Examples ship in millrace-examples (bin/millrace puts"
              + " them on the classpath); your own application's jar must be on the classpath too");
    }
  }

  private static StreamingApplication instantiate(Class<?> type) {
    try {
      return (StreamingApplication) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new UsageException(
          type.getName() + " needs a public no-argument constructor to be run: " + e);
    }
  }
}
