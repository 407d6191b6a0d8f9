package dev.millrace.crds.launch;

import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.StreamingApp;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of the launch contract, built in one place for every backend: {@code millrace
 * driver …} and {@code millrace executor …} (see the runtime's {@code DriverOptions} and {@code
 * ExecutorOptions}). A backend adds what is its own (ports, address files, a supervisor's pid).
 */
public final class LaunchArguments {
  private LaunchArguments() {}

  /**
   * {@code driver --spec <specPath> --attempt N [--fresh-checkpoint]}: attempt {@code attempt} of
   * the driver of the spec at {@code specPath}, moving the checkpoint aside first if {@code
   * freshCheckpoint}, for a launcher that is no supervisor: the driver is foreign to every other on
   * the checkpoint's lease.
   */
  public static List<String> driver(String specPath, int attempt, boolean freshCheckpoint) {
    return driver(specPath, attempt, freshCheckpoint, null);
  }

  /**
   * {@code driver --spec <specPath> --attempt N [--supervision-id ID] [--fresh-checkpoint]}: as
   * {@link #driver(String, int, boolean)}, launched by the supervisor {@code supervisionId} (one id
   * for all the attempts it launches: {@code millrace run}'s invocation, the StreamingApp's uid,
   * the YARN application id). A newer attempt of the same supervisor takes the checkpoint's lease
   * over at once, fencing the previous attempt should it still run; null for none.
   */
  public static List<String> driver(
      String specPath, int attempt, boolean freshCheckpoint, String supervisionId) {
    List<String> args =
        new ArrayList<>(
            List.of("driver", "--spec", specPath, "--attempt", String.valueOf(attempt)));
    if (supervisionId != null) {
      args.add("--supervision-id");
      args.add(supervisionId);
    }
    if (freshCheckpoint) {
      args.add("--fresh-checkpoint");
    }
    return args;
  }

  /**
   * {@code executor --driver <driverAddress> --app NAME --spec <specPath> --id ID --cores N
   * --memory M}: executor {@code executorId} of {@code app}, with the spec's executor cores and
   * memory.
   */
  public static List<String> executor(
      StreamingApp app, String executorId, String driverAddress, String specPath) {
    return executor(app, executorId, "--driver", driverAddress, specPath);
  }

  /**
   * As {@link #executor(StreamingApp, String, String, String)}, finding the driver with {@code
   * --driver-address-file <addressFile>}: the URI of a file each driver attempt rewrites with where
   * it listens.
   */
  public static List<String> executorFindingDriverIn(
      StreamingApp app, String executorId, String addressFile, String specPath) {
    return executor(app, executorId, "--driver-address-file", addressFile, specPath);
  }

  private static List<String> executor(
      StreamingApp app, String executorId, String driverOption, String driver, String specPath) {
    ExecutorSpec executor = app.getSpec().getExecutor();
    return new ArrayList<>(
        List.of(
            "executor",
            driverOption,
            driver,
            "--app",
            app.getMetadata().getName(),
            "--spec",
            specPath,
            "--id",
            executorId,
            "--cores",
            String.valueOf(executor.getCores()),
            "--memory",
            executor.getMemory()));
  }
}
