package dev.millrace.crds.validation;

/** The backend a {@link dev.millrace.crds.StreamingApp} is validated for. */
public enum Target {
  /** {@code millrace run}: driver and executors as processes on this machine. */
  LOCAL,
  /** The operator: driver and executors as pods. */
  KUBERNETES,
  /** {@code millrace submit --master yarn}: driver and executors in YARN containers. */
  YARN
}
