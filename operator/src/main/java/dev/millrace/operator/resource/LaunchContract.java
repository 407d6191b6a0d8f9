package dev.millrace.operator.resource;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.launch.LaunchArguments;
import java.util.ArrayList;
import java.util.List;

/**
 * How a pod starts the engine: the {@code millrace driver} and {@code millrace executor} command
 * lines of the runtime's launch contract, with the fixed ports and paths every pod of an
 * application shares.
 */
public final class LaunchContract {
  /** The name of the container that runs the engine, in pods and in pod templates. */
  public static final String CONTAINER = "millrace";

  /**
   * The driver's status endpoint ({@code /api/v1/status}, {@code /healthz}, {@code /metrics}), and
   * the port an executor serves its {@code /metrics} on: one scrape port for every pod.
   */
  public static final int HTTP_PORT = 4040;

  /** Where every pod serves its Prometheus metrics, on {@link #HTTP_PORT}. */
  public static final String METRICS_PATH = "/metrics";

  /**
   * The variable that makes an executor serve its metrics on a port (the runtime's {@code
   * ContainerEnvironment.METRICS_PORT}); the operator sets it to {@link #HTTP_PORT} on executor
   * pods unless {@code spec.executor.env} sets it.
   */
  public static final String METRICS_PORT_VARIABLE = "MILLRACE_METRICS_PORT";

  /**
   * The port executors register on. Fixed, so that the Service address executors dial stays valid
   * across driver attempts.
   */
  public static final int EXECUTOR_PORT = 7077;

  /** Where the spec ConfigMap is mounted. */
  public static final String SPEC_DIRECTORY = "/etc/millrace";

  /** The spec file's key in the ConfigMap and its name in {@link #SPEC_DIRECTORY}. */
  public static final String SPEC_FILE = "app.yaml";

  /**
   * The environment variable with the JVM's heap size, e.g. {@code 640m}: the runtime image's
   * {@code millrace} command starts the JVM with {@code -Xmx} of it. Set from the pod's memory by
   * {@link dev.millrace.crds.launch.JvmHeap}, the rule every backend sizes heaps with.
   */
  public static final String HEAP_VARIABLE = "MILLRACE_HEAP";

  /**
   * Where a ConfigMap with the user's Log4j 2 configuration ({@code spec.logging}) is mounted: not
   * under {@link #SPEC_DIRECTORY}, whose ConfigMap the operator owns.
   */
  public static final String LOGGING_DIRECTORY = "/etc/millrace-logging";

  /** Log4j's variable naming the configuration file that replaces Millrace's default. */
  public static final String LOG_CONFIGURATION_VARIABLE = "LOG4J_CONFIGURATION_FILE";

  /** The application's name, the {@code app} field of JSON log lines (the runtime's logging). */
  public static final String APP_VARIABLE = "MILLRACE_APP";

  private LaunchContract() {}

  /**
   * {@code millrace driver --spec … --attempt N [--supervision-id UID] [--fresh-checkpoint]
   * --bind-address 0.0.0.0 --http-port P --executor-port Q}; with {@code freshCheckpoint} the
   * driver moves the checkpoint aside first ({@code upgradeMode: stateless}). On every interface of
   * the pod: executors reach it through the Service and the operator and kubelet probes through the
   * pod's IP. The StreamingApp's {@code metadata.uid} names the supervisor, so that attempt N+1
   * takes the checkpoint's lease over at once from attempt N, whose pod may still run on a node the
   * operator cannot reach, and fences it.
   */
  public static List<String> driverCommand(StreamingApp app, int attempt, boolean freshCheckpoint) {
    List<String> command = new ArrayList<>();
    command.add("millrace");
    command.addAll(
        LaunchArguments.driver(specPath(), attempt, freshCheckpoint, app.getMetadata().getUid()));
    command.addAll(
        List.of(
            "--bind-address",
            "0.0.0.0",
            "--http-port",
            String.valueOf(HTTP_PORT),
            "--executor-port",
            String.valueOf(EXECUTOR_PORT)));
    return List.copyOf(command);
  }

  /**
   * {@code millrace executor --driver <service>:Q --app NAME --spec … --id ID --cores N --memory
   * M}: the driver is reached through the headless Service, whichever attempt runs.
   */
  public static List<String> executorCommand(StreamingApp app, String executorId) {
    List<String> command = new ArrayList<>();
    command.add("millrace");
    command.addAll(LaunchArguments.executor(app, executorId, driverAddress(app), specPath()));
    return List.copyOf(command);
  }

  /**
   * {@code http://<app>-driver.<namespace>.svc:4040/}: the driver's status, metrics and UI through
   * its Service, whichever attempt runs.
   */
  public static String driverUrl(StreamingApp app) {
    return "http://"
        + AppNames.driverService(app)
        + "."
        + app.getMetadata().getNamespace()
        + ".svc:"
        + HTTP_PORT
        + "/";
  }

  /** {@code <app>-driver.<namespace>.svc:7077}. */
  public static String driverAddress(StreamingApp app) {
    return AppNames.driverService(app)
        + "."
        + app.getMetadata().getNamespace()
        + ".svc:"
        + EXECUTOR_PORT;
  }

  private static String specPath() {
    return SPEC_DIRECTORY + "/" + SPEC_FILE;
  }
}
