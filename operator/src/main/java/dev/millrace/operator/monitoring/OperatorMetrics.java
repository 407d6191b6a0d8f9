package dev.millrace.operator.monitoring;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This replica's metrics, in the Prometheus text exposition format ({@link #exposition()}).
 *
 * <p>JOSDK reports every reconcile and cleanup through its {@link Metrics} interface, which this
 * class implements; the reconciler reports each status it writes ({@link #statusWritten}). Only the
 * replica that reconciles (the leader, under leader election) counts anything; a standby exports
 * zeros.
 *
 * <ul>
 *   <li>{@code millrace_operator_reconciles_total{operation, outcome}}: reconciles and cleanups
 *       that returned ({@code success}) or threw ({@code failure}, retried by JOSDK).
 *   <li>{@code millrace_operator_reconcile_duration_seconds{operation}}: a histogram of how long
 *       they took.
 *   <li>{@code millrace_operator_driver_restarts_total}: driver restarts, as {@code
 *       status.restarts.total} counts them, seen by this replica.
 *   <li>{@code millrace_operator_apps{phase}}: the StreamingApps this replica supervises, by {@code
 *       status.phase}; every phase is exported, zero when no app is in it.
 * </ul>
 */
public final class OperatorMetrics implements Metrics {
  static final String PREFIX = "millrace_operator_";
  private static final List<String> OPERATIONS = List.of("reconcile", "cleanup");

  private final Map<String, LongAdder> successes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LatencyHistogram> durations = new ConcurrentHashMap<>();
  private final LongAdder driverRestarts = new LongAdder();
  private final Map<ResourceID, Phase> phases = new ConcurrentHashMap<>();

  /** Times the reconcile or cleanup JOSDK runs and counts its outcome. */
  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    String operation = execution.name();
    long start = System.nanoTime();
    boolean succeeded = false;
    try {
      T result = execution.execute();
      succeeded = true;
      return result;
    } finally {
      durations
          .computeIfAbsent(operation, o -> new LatencyHistogram())
          .observe(Duration.ofNanos(System.nanoTime() - start));
      (succeeded ? successes : failures)
          .computeIfAbsent(operation, o -> new LongAdder())
          .increment();
    }
  }

  /** The app's finalizer was removed: it no longer counts in any phase. */
  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    phases.remove(resourceID);
  }

  /**
   * A reconcile left {@code app}, which had {@code previous}, with {@code status} (written, or
   * unchanged; {@code null} if it has none yet): the app counts in its phase, and the restarts
   * {@code status} adds to {@code previous} are counted.
   */
  public void statusWritten(
      StreamingApp app, StreamingAppStatus previous, StreamingAppStatus status) {
    ResourceID id = ResourceID.fromResource(app);
    if (status == null || status.getPhase() == null) {
      phases.remove(id);
    } else {
      phases.put(id, status.getPhase());
    }
    int added = restarts(status) - restarts(previous);
    if (added > 0) {
      driverRestarts.add(added);
    }
  }

  private static int restarts(StreamingAppStatus status) {
    return status == null || status.getRestarts() == null || status.getRestarts().getTotal() == null
        ? 0
        : status.getRestarts().getTotal();
  }

  /** Every metric, in the Prometheus text exposition format 0.0.4. */
  public String exposition() {
    StringBuilder out = new StringBuilder();
    header(
        out,
        "reconciles_total",
        "counter",
        "Reconciles (operation reconcile) and deletion cleanups (cleanup) this replica ran, by"
            + " outcome: success, or failure (retried).");
    for (String operation : OPERATIONS) {
      for (String outcome : List.of("success", "failure")) {
        LongAdder n = (outcome.equals("success") ? successes : failures).get(operation);
        sample(
            out,
            "reconciles_total",
            "{operation=\"" + operation + "\",outcome=\"" + outcome + "\"}",
            n == null ? 0 : n.sum());
      }
    }

    header(
        out,
        "reconcile_duration_seconds",
        "histogram",
        "How long reconciles and deletion cleanups took, in seconds.");
    for (String operation : OPERATIONS) {
      LatencyHistogram.Snapshot h =
          durations.getOrDefault(operation, new LatencyHistogram()).snapshot();
      String labels = "operation=\"" + operation + "\"";
      for (int i = 0; i < LatencyHistogram.BUCKETS.size(); i++) {
        sample(
            out,
            "reconcile_duration_seconds_bucket",
            "{" + labels + ",le=\"" + number(LatencyHistogram.BUCKETS.get(i)) + "\"}",
            h.cumulative().get(i));
      }
      sample(out, "reconcile_duration_seconds_bucket", "{" + labels + ",le=\"+Inf\"}", h.count());
      out.append(PREFIX)
          .append("reconcile_duration_seconds_sum{")
          .append(labels)
          .append("} ")
          .append(number(h.sum()))
          .append('\n');
      sample(out, "reconcile_duration_seconds_count", "{" + labels + "}", h.count());
    }

    header(
        out,
        "driver_restarts_total",
        "counter",
        "Driver restarts (status.restarts.total) of the StreamingApps this replica supervised.");
    sample(out, "driver_restarts_total", "", driverRestarts.sum());

    header(out, "apps", "gauge", "StreamingApps this replica supervises, by status.phase.");
    Map<Phase, Long> byPhase = new EnumMap<>(Phase.class);
    for (Phase phase : Phase.values()) {
      byPhase.put(phase, 0L);
    }
    phases.values().forEach(p -> byPhase.merge(p, 1L, Long::sum));
    byPhase.forEach((phase, n) -> sample(out, "apps", "{phase=\"" + phase + "\"}", n));
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(PREFIX).append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(PREFIX).append(name).append(labels).append(' ').append(value).append('\n');
  }

  /** Java's double syntax ({@code 0.005}, {@code 1.0}, {@code 1.2E-4}) is one Prometheus parses. */
  private static String number(double value) {
    return Double.toString(value);
  }
}
