package dev.millrace.runtime.cli;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * The flags of an application that {@code millrace app} and {@code millrace example} run in this
 * process, declared once each and read into {@link RunOptions}; what is not a flag goes to the
 * application.
 */
@Command(name = "options")
final class ApplicationRunFlags {
  @Option(
      names = "--master",
      paramLabel = "local[N]",
      description = "task threads in this process (default local[2])")
  String master = "local[2]";

  @Option(
      names = "--batch-interval",
      paramLabel = "1s",
      converter = Interval.class,
      description = "the batch interval: 200ms, 1s, 1m (default 1s)")
  Duration batchInterval = Durations.seconds(1);

  @Option(
      names = "--conf",
      paramLabel = "key=value",
      converter = Entry.class,
      description = "an engine setting, e.g. millrace.default.parallelism=4; repeat for more")
  List<String> conf = new ArrayList<>();

  /** Declared only to say where it goes: {@code app} reads it before the class name. */
  @Option(names = "--jars", hidden = true)
  String misplacedJars;

  @Parameters(
      paramLabel = "[--] args",
      description = "what goes to the application; after --, --help and flags too")
  List<String> appArgs = new ArrayList<>();

  /** A batch interval: 200ms, 1s, 1m. */
  static final class Interval implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      return Durations.parse(text);
    }
  }

  /** An engine setting, {@code key=value}; the value may hold {@code =} too. */
  static final class Entry implements ITypeConverter<String> {
    @Override
    public String convert(String text) {
      if (text.indexOf('=') <= 0) {
        throw new TypeConversionException("--conf takes key=value");
      }
      return text;
    }
  }
}
