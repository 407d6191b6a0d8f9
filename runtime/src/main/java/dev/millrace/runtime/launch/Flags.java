package dev.millrace.runtime.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a subcommand's flags, declared once each with picocli's {@code @Option} and
 * {@code @Parameters} on a {@code …Flags} class, are read and explained: {@link #parse} fills the
 * class from a command line, turning picocli's errors into a {@link UsageException} that names the
 * flag, the bad value and what to do; {@link #help} and {@link #synopsis} render the help from the
 * same declarations, so the help never lists a flag the parser does not read.
 */
public final class Flags {
  private static final int WIDTH = 100;

  private Flags() {}

  /**
   * Reads {@code args} into {@code flags}, a picocli-annotated {@code …Flags} object.
   *
   * @throws UsageException naming the unknown flag, the flag without its value or the value a flag
   *     cannot take, with the command's synopsis
   */
  public static <T> T parse(T flags, List<String> args) {
    return parse(flags, args, Arguments.FLAGS_ANYWHERE);
  }

  /**
   * Reads {@code args} into {@code flags}, telling flags from parameters as {@code arguments} says.
   *
   * @throws UsageException as {@link #parse(Object, List)}
   */
  public static <T> T parse(T flags, List<String> args, Arguments arguments) {
    CommandLine line = commandLine(flags);
    line.setUnmatchedOptionsArePositionalParams(
        arguments == Arguments.UNKNOWN_FLAGS_ARE_PARAMETERS);
    line.setStopAtPositional(arguments == Arguments.FLAGS_BEFORE_THE_FIRST_PARAMETER);
    try {
      line.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      throw new UsageException(message(line.getCommandSpec(), args, e));
    }
    return flags;
  }

  /** What {@code millrace <command> --help} prints for {@code flags}, before its footer. */
  public static String help(Object flags) {
    CommandSpec spec = commandLine(flags).getCommandSpec();
    StringBuilder help = new StringBuilder(synopsis(spec, "usage: millrace "));
    help.append(description(spec, 2));
    String options = optionList(flags);
    if (!options.isEmpty()) {
      help.append("\noptions:\n").append(options);
    }
    return help.toString();
  }

  /**
   * The options of {@code flags} with what each does and its default, one per line (wrapped), as
   * {@code --help} lists them.
   */
  public static String optionList(Object flags) {
    CommandLine line = commandLine(flags);
    // Shown as the launch commands write them; both forms are read.
    line.setSeparator(" ");
    Help help = new Help(line.getCommandSpec(), Help.defaultColorScheme(Help.Ansi.OFF));
    return help.optionList();
  }

  /**
   * The synopsis of the command {@code flags} declares after {@code prefix}: the command's name,
   * then its flags and parameters in the order declared, optional ones in brackets, wrapped at 100
   * columns under the first argument.
   */
  public static String synopsis(Object flags, String prefix) {
    return synopsis(commandLine(flags).getCommandSpec(), prefix);
  }

  /** The names of the options {@code flags} declares, as a sentence lists them. */
  public static String optionNames(Object flags) {
    List<String> names =
        commandLine(flags).getCommandSpec().options().stream()
            .filter(option -> !option.hidden())
            .map(OptionSpec::longestName)
            .toList();
    return names.size() < 2
        ? String.join("", names)
        : String.join(", ", names.subList(0, names.size() - 1))
            + " and "
            + names.get(names.size() - 1);
  }

  /** The description of the command {@code flags} declares, each line indented by {@code by}. */
  public static String description(Object flags, int by) {
    return description(commandLine(flags).getCommandSpec(), by);
  }

  private static String description(CommandSpec spec, int by) {
    return String.join("\n", spec.usageMessage().description())
        .lines()
        .map(line -> " ".repeat(by) + line + "\n")
        .collect(Collectors.joining());
  }

  private static String synopsis(CommandSpec spec, String prefix) {
    List<String> words = new ArrayList<>();
    for (ArgSpec arg : spec.args()) {
      if (!arg.hidden() && !(arg.isOption() && ((OptionSpec) arg).usageHelp())) {
        words.add(word(arg));
      }
    }
    String start = prefix + spec.name();
    String under = " ".repeat(start.length() + 1);
    StringBuilder text = new StringBuilder(start);
    int column = start.length();
    for (String word : words) {
      if (column + 1 + word.length() > WIDTH && column > under.length()) {
        text.append('\n').append(under).append(word);
        column = under.length() + word.length();
      } else {
        text.append(' ').append(word);
        column += 1 + word.length();
      }
    }
    return text.append('\n').toString();
  }

  private static String word(ArgSpec arg) {
    String label = arg.paramLabel();
    if (arg.isPositional()) {
      String word = arg.arity().max() > 1 ? label + "…" : label;
      return arg.required() ? word : "[" + word + "]";
    }
    OptionSpec option = (OptionSpec) arg;
    String word =
        option.arity().max() == 0 ? option.longestName() : option.longestName() + " " + label;
    return option.required() ? word : "[" + word + "]";
  }

  private static CommandLine commandLine(Object flags) {
    CommandLine line = new CommandLine(flags);
    // As the hand-written parsers did: a flag given twice takes its last value, so a backend can
    // append a flag to a launch command that already has it.
    line.setOverwrittenOptionsAllowed(true);
    line.setUsageHelpWidth(WIDTH);
    line.getCommandSpec().usageMessage().sortOptions(false);
    line.registerConverter(Integer.class, Flags::integer);
    line.registerConverter(int.class, Flags::integer);
    line.registerConverter(Long.class, Flags::longInteger);
    line.registerConverter(long.class, Flags::longInteger);
    return line;
  }

  private static String message(CommandSpec spec, List<String> args, ParameterException e) {
    String command = spec.name();
    String usage =
        "; usage: "
            + synopsis(spec, "millrace ").strip().replaceAll("\\s+", " ")
            + " (millrace "
            + command
            + " --help says what each does)";
    if (e instanceof UnmatchedArgumentException unmatched) {
      String first = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
      return (first.startsWith("-")
              ? "unknown option '" + first + "' for " + command
              : command + " does not take '" + first + "'")
          + usage;
    }
    if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
      ArgSpec arg = missing.getMissing().get(0);
      String what = String.join(" ", arg.description());
      if (arg.isOption() && given((OptionSpec) arg, args)) {
        String name = ((OptionSpec) arg).longestName();
        return name
            + " needs "
            + (what.startsWith("a ") || what.startsWith("an ") ? what : "a value: " + what);
      }
      return (arg.isOption()
              ? command + " needs " + word(arg).replaceAll("[\\[\\]]", "") + ": " + what
              : command + " needs " + what + " (" + arg.paramLabel() + ")")
          + usage;
    }
    if (e.getCause() instanceof UsageException whole) {
      return whole.getMessage();
    }
    if (e.getArgSpec() != null && e.getValue() != null) {
      String reason =
          e.getCause() instanceof TypeConversionException conversion
              ? conversion.getMessage()
              : e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return name(e.getArgSpec()) + " cannot take '" + e.getValue() + "': " + reason;
    }
    return e.getMessage().toLowerCase(Locale.ROOT) + usage;
  }

  private static boolean given(OptionSpec option, List<String> args) {
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String name(ArgSpec arg) {
    return arg.isOption()
        ? ((OptionSpec) arg).longestName()
        : ((PositionalParamSpec) arg).paramLabel();
  }

  private static Integer integer(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be a number");
    }
  }

  private static Long longInteger(String text) {
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be a number");
    }
  }

  /** Where a command takes its flags, for commands whose parameters go on to an application. */
  public enum Arguments {
    /** Flags anywhere among the parameters; an unknown one is an error. */
    FLAGS_ANYWHERE,
    /**
     * Flags anywhere among the parameters; an unknown {@code --flag} is a parameter, which the
     * caller checks.
     */
    UNKNOWN_FLAGS_ARE_PARAMETERS,
    /** Flags before the first parameter; everything from it on is a parameter. */
    FLAGS_BEFORE_THE_FIRST_PARAMETER
  }

  /** A TCP port, or 0 for a free one. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return inRange(integer(text), 0, 65535);
    }
  }

  /** A count from 1, such as an attempt number or how many runs to keep. */
  public static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return inRange(integer(text), 1, Integer.MAX_VALUE);
    }
  }

  /** How many runs' logs to keep: a count from 1, refused in the words of the flag's purpose. */
  public static final class RunsToKeep implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1) {
        throw new UsageException(
            "--keep-runs takes how many runs' logs to keep, at least 1, got " + text);
      }
      return Integer.parseInt(text);
    }
  }

  /** A process id: a number from 1. */
  public static final class ProcessId implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      long pid = longInteger(text);
      if (pid < 1) {
        throw new TypeConversionException("must be a process id, at least 1");
      }
      return pid;
    }
  }

  private static int inRange(int n, int min, int max) {
    if (n < min || n > max) {
      throw new TypeConversionException("must be from " + min + " to " + max);
    }
    return n;
  }
}
