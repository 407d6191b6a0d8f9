package dev.millrace.runtime.cli;

import dev.millrace.runtime.launch.UsageException;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run an application in this process: master, batch interval, configuration, and the
 * application's own arguments, read from {@code --master local[2] --batch-interval 1s --conf k=v
 * [--] args…}.
 *
 * @param master {@code local[N]}
 * @param batchInterval the batch interval
 * @param conf configuration entries
 * @param appArgs the arguments handed to the application
 */
public record RunOptions(
    String master, Duration batchInterval, Map<String, String> conf, List<String> appArgs) {

  /** Reads options from the front of {@code args}; the rest are the application's. */
  public static RunOptions parse(List<String> args) {
    String master = "local[2]";
    Duration interval = Durations.seconds(1);
    Map<String, String> conf = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    int i = 0;
    while (i < args.size()) {
      String a = args.get(i);
      if (a.equals("--")) {
        rest.addAll(args.subList(i + 1, args.size()));
        break;
      } else if (a.equals("--master")) {
        master = value(args, i++, a);
      } else if (a.equals("--batch-interval")) {
        interval = Durations.parse(value(args, i++, a));
      } else if (a.equals("--conf")) {
        String kv = value(args, i++, a);
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--conf takes key=value, got '" + kv + "'");
        }
        conf.put(kv.substring(0, eq), kv.substring(eq + 1));
      } else if (a.equals("--jars") && rest.isEmpty()) {
        throw new UsageException(
            "--jars goes before the class name: millrace app --jars my-app.jar com.example.MyApp");
      } else if (a.startsWith("--") && rest.isEmpty()) {
        throw new UsageException(
            "unknown option "
                + a
                + "; options are --master, --batch-interval and --conf, and"
                + " arguments after -- go to the application");
      } else {
        rest.add(a);
      }
      i++;
    }
    return new RunOptions(master, interval, conf, rest);
  }

  private static String value(List<String> args, int i, String option) {
    if (i + 1 >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i + 1);
  }
}
