package dev.millrace.operator.resource;

import dev.millrace.crds.StreamingApp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and labels of everything the operator creates for a {@link StreamingApp}. Names are
 * deterministic, so that a decision persisted in the status ("launch driver attempt 3") names the
 * same pod however often it is carried out, and a second operator creating it gets a conflict
 * instead of a second driver.
 */
public final class AppNames {
  /** Marks every object the operator manages; the operator's informers select on it. */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/name";

  /** The value of {@link #MANAGED_BY_LABEL}. */
  public static final String MANAGED_BY = "millrace";

  /** The {@code metadata.name} of the StreamingApp an object belongs to. */
  public static final String APP_LABEL = "millrace.dev/app";

  /** {@code driver} or {@code executor}. */
  public static final String ROLE_LABEL = "millrace.dev/role";

  /** The driver attempt of a driver pod. */
  public static final String ATTEMPT_LABEL = "millrace.dev/attempt";

  /**
   * The executor id ({@code exec-1 …}) of an executor pod. Executors carry no attempt: they outlive
   * driver attempts and register with each in turn.
   */
  public static final String EXECUTOR_LABEL = "millrace.dev/executor";

  /**
   * The annotation of every pod holding {@code SpecDiff.restartHash} of the spec it was built from:
   * an executor whose hash is not the current driver's predates an upgrade and is replaced.
   */
  public static final String SPEC_HASH_ANNOTATION = "millrace.dev/spec-hash";

  /** The {@link #ROLE_LABEL} of driver pods. */
  public static final String DRIVER_ROLE = "driver";

  /** The {@link #ROLE_LABEL} of executor pods. */
  public static final String EXECUTOR_ROLE = "executor";

  private AppNames() {}

  /** {@code <app>-driver-<attempt>}. */
  public static String driverPod(StreamingApp app, int attempt) {
    return app.getMetadata().getName() + "-driver-" + attempt;
  }

  /** {@code <app>-exec-<n>} for executor id {@code exec-<n>}. */
  public static String executorPod(StreamingApp app, String executorId) {
    return app.getMetadata().getName() + "-" + executorId;
  }

  /** {@code <app>-driver}: the headless Service giving every driver attempt the same address. */
  public static String driverService(StreamingApp app) {
    return app.getMetadata().getName() + "-driver";
  }

  /** {@code <app>-spec}: the ConfigMap holding the spec the pods read. */
  public static String specConfigMap(StreamingApp app) {
    return app.getMetadata().getName() + "-spec";
  }

  /** The labels every object of {@code app} carries. */
  public static Map<String, String> appLabels(StreamingApp app) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(APP_LABEL, app.getMetadata().getName());
    return labels;
  }

  /** The labels of driver pod {@code attempt}. */
  public static Map<String, String> driverLabels(StreamingApp app, int attempt) {
    Map<String, String> labels = appLabels(app);
    labels.put(ROLE_LABEL, DRIVER_ROLE);
    labels.put(ATTEMPT_LABEL, String.valueOf(attempt));
    return labels;
  }

  /** The labels of executor pod {@code executorId}. */
  public static Map<String, String> executorLabels(StreamingApp app, String executorId) {
    Map<String, String> labels = appLabels(app);
    labels.put(ROLE_LABEL, EXECUTOR_ROLE);
    labels.put(EXECUTOR_LABEL, executorId);
    return labels;
  }
}
