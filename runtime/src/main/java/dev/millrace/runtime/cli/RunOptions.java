package dev.millrace.runtime.cli;

import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import dev.millrace.streaming.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run an application in this process: master, batch interval, configuration, and the
 * application's own arguments, read from {@code --master local[2] --batch-interval 1s --conf k=v
 * [--] args…} as {@link ApplicationRunFlags} declares them.
 *
 * @param master {@code local[N]}
 * @param batchInterval the batch interval
 * @param conf configuration entries
 * @param appArgs the arguments handed to the application
 */
public record RunOptions(
    String master, Duration batchInterval, Map<String, String> conf, List<String> appArgs) {

  /**
   * Reads options from {@code args}; the rest are the application's. An unknown {@code --flag}
   * before the application's first argument is refused; after it, it is the application's.
   *
   * @throws UsageException if a flag is unknown or its value invalid
   */
  public static RunOptions parse(List<String> args) {
    ApplicationRunFlags flags =
        Flags.parse(new ApplicationRunFlags(), args, Flags.Arguments.UNKNOWN_FLAGS_ARE_PARAMETERS);
    if (flags.misplacedJars != null) {
      throw new UsageException(
          "--jars goes before the class name: millrace app --jars my-app.jar com.example.MyApp");
    }
    if (!flags.appArgs.isEmpty() && flags.appArgs.get(0).startsWith("--")) {
      int end = args.indexOf("--");
      if (args.subList(0, end < 0 ? args.size() : end).contains(flags.appArgs.get(0))) {
        throw new UsageException(
            "unknown option "
                + flags.appArgs.get(0)
                + "; options are "
                + Flags.optionNames(new ApplicationRunFlags())
                + ", and arguments after -- go to the application");
      }
    }
    Map<String, String> conf = new LinkedHashMap<>();
    for (String entry : flags.conf) {
      int eq = entry.indexOf('=');
      conf.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return new RunOptions(flags.master, flags.batchInterval, conf, List.copyOf(flags.appArgs));
  }
}
