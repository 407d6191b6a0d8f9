package dev.millrace.runtime.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The commands of {@code millrace}, each with its synopsis and what it does: the one source of the
 * help that {@code millrace help} prints for all and {@code millrace <command> --help} for one.
 * {@code submit}, {@code status} and {@code stop} run in the YARN client ({@code
 * dev.millrace.yarn.YarnCli}, which {@code bin/millrace} starts), which prints the same help.
 */
public enum Subcommand {
  RUN(
      "run app.yaml [--run-dir DIR] [--keep-runs N] [--bind-address A]",
      """
      run and supervise a StreamingApp spec with driver and executor processes on this
      machine: restarts from the checkpoint per its restartPolicy; Ctrl-C stops it gracefully
      (twice: kills the driver). The run directory (default .millrace/<name>) holds the
      resolved spec, status.yaml and logs/<start>/, a log per driver attempt and executor;
      the logs of the newest N runs are kept (default 10). The driver listens on A (default
      127.0.0.1: this machine only)."""),
  DEMO(
      "demo [--files N]",
      """
      a supervised word count that writes its own input, is killed with SIGKILL once and
      recovers with exact output; N files of input (default 24, at least 6)"""),
  EXAMPLE(
      "example <Name> [options] [--] [args]",
      """
      run an example in this process, e.g. example NetworkWordCount localhost 9999"""),
  APP(
      "app [--jars a.jar,b.jar] <class> [options] [--] [args]",
      """
      run your StreamingApplication (or a class with a main method) in this process, loaded
      from the jars given (paths, file://, hdfs:// or s3a:// URIs) and the class path"""),
  DRIVER(
      """
      driver --spec <file> [--attempt N] [--bind-address A] [--http-port P]
      [--address-file F] [--executor-port E] [--executor-address-file G]
      [--supervisor-pid PID] [--fresh-checkpoint]""",
      """
      run the StreamingApp in <file> as its driver, as every backend starts it; listens on
      address A only (default 127.0.0.1; 0.0.0.0 for every interface); serves
      GET /healthz and /api/v1/status on port P (default: a free one), whose host:port goes
      to F; accepts executors on port E (default: a free one), whose host:port goes to G;
      the attempt N is the driver epoch; stops gracefully when process PID ends; with
      --fresh-checkpoint, first moves the checkpoint aside"""),
  EXECUTOR(
      """
      executor --driver <host:port> --app <name> [--spec <file>] [--id exec-1] [--cores N]
      [--memory 1Gi] [--driver-timeout 5m] [--supervisor-pid PID]""",
      """
      register with the driver at host:port (its executor address) and heartbeat;
      re-register when it restarts; with the driver's spec <file>, run the map side of its
      shuffles and own partitions of its keyed state; exit 1 when no driver answers for the
      timeout, 0 when process PID ends"""),
  SUBMIT(
      "submit --master yarn [--queue Q] [--java-home DIR] [--am-memory M] [--wait] app.yaml",
      """
      (YARN, through bin/millrace) validate the StreamingApp, stage it and the Millrace jars
      on the cluster's file system, start its ApplicationMaster; prints the application id;
      --wait follows it to the end; --java-home: the Java 17+ home on every NodeManager host
      that runs the containers (spec.yarn.javaHome; default the NodeManager's JAVA_HOME);
      --am-memory: the ApplicationMaster's memory (spec.yarn.amMemory, 512Mi). Needs
      HADOOP_CONF_DIR"""),
  STATUS(
      "status <application id>",
      """
      (YARN, through bin/millrace) its YARN state and what its supervisor knows"""),
  STOP(
      "stop <application id> [--wait]",
      """
      (YARN, through bin/millrace) stop it gracefully: the driver finishes its batch and
      checkpoints, the application ends SUCCEEDED"""),
  HELP(
      "help [<command>]",
      """
      show this help, or one command's (as <command> --help does)""");

  private static final String RUN_OPTIONS =
      """

      options for example and app:
        --master local[N]              task threads in this process (default local[2])
        --batch-interval 1s            batch interval: 200ms, 1s, 1m (default 1s)
        --conf key=value               an engine setting, e.g. millrace.default.parallelism=4
        --                             what follows goes to the application, --help too
      """;

  private static final String EXAMPLES =
      """

      examples: NetworkWordCount, StatefulNetworkWordCount, WindowedNetworkWordCount,
                FileWordCount, Demo
      """;

  private static final String EXIT_CODES =
      """

      exit codes: 0 stopped or finished, 1 the application failed (a supervisor restarts it),
                  65 checkpoint written by an incompatible build, 66 input the recovery needs
                  is gone, 74 damaged checkpoint, 75 checkpoint held by another driver,
                  78 bad command line or configuration (never restarted)
      """;

  private final String synopsis;
  private final String description;

  Subcommand(String synopsis, String description) {
    this.synopsis = synopsis;
    this.description = description;
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
    StringBuilder help =
        new StringBuilder(synopsis("usage: millrace ")).append('\n').append(indent(description, 2));
    if (this == EXAMPLE || this == APP) {
      help.append(RUN_OPTIONS);
    }
    if (this == EXAMPLE) {
      help.append(EXAMPLES);
    }
    if (this != HELP && this != STATUS) {
      help.append(EXIT_CODES);
    }
    return help.toString();
  }

  /** What {@code millrace help} prints: every command, and what the commands share. */
  public static String overview() {
    return overview(List.of(values())) + RUN_OPTIONS + EXAMPLES + EXIT_CODES;
  }

  /** The synopsis and description of each of {@code commands}. */
  public static String overview(List<Subcommand> commands) {
    return "usage: millrace <command> [options]; millrace <command> --help says more of one\n\n"
        + "commands:\n"
        + commands.stream()
            .map(c -> c.synopsis("  ") + indent(c.description, 6))
            .collect(Collectors.joining());
  }

  /**
   * The synopsis after {@code prefix}, a line each, its later lines aligned under the command's
   * first argument.
   */
  private String synopsis(String prefix) {
    String under = " ".repeat(prefix.length() + command().length() + 1);
    return prefix + synopsis.replace("\n", "\n" + under) + "\n";
  }

  private static String indent(String text, int spaces) {
    return text.lines().map(line -> " ".repeat(spaces) + line + "\n").collect(Collectors.joining());
  }
}
