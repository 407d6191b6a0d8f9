package dev.millrace.runtime.cluster;

import java.time.Instant;

/**
 * An executor registered with the driver, as the {@link ExecutorRegistry} knows it.
 *
 * @param executorId the executor's id, stable across its re-registrations
 * @param host the host it runs on
 * @param pid its process id
 * @param cores task slots it offers
 * @param memoryBytes memory it offers
 * @param sessionId this registration; a message naming another session is fenced
 * @param registeredAt when this registration was accepted
 * @param lastHeartbeatAt when the newest heartbeat (or the registration) arrived
 * @param heapUsedBytes the Java heap it used at its newest heartbeat, -1 before one
 * @param heapMaxBytes the most Java heap it may use, -1 before its first heartbeat
 * @param metricsPort the port it serves its Prometheus metrics on, on {@code host}; -1 for none
 */
public record ExecutorInfo(
    String executorId,
    String host,
    long pid,
    int cores,
    long memoryBytes,
    long sessionId,
    Instant registeredAt,
    Instant lastHeartbeatAt,
    long heapUsedBytes,
    long heapMaxBytes,
    int metricsPort) {

  /** An executor whose heap is not known yet, serving no metrics. */
  public ExecutorInfo(
      String executorId,
      String host,
      long pid,
      int cores,
      long memoryBytes,
      long sessionId,
      Instant registeredAt,
      Instant lastHeartbeatAt) {
    this(
        executorId,
        host,
        pid,
        cores,
        memoryBytes,
        sessionId,
        registeredAt,
        lastHeartbeatAt,
        -1,
        -1,
        -1);
  }

  ExecutorInfo heartbeatAt(Instant time, long heapUsed, long heapMax) {
    return new ExecutorInfo(
        executorId,
        host,
        pid,
        cores,
        memoryBytes,
        sessionId,
        registeredAt,
        time,
        heapUsed,
        heapMax,
        metricsPort);
  }

  /** Where Prometheus scrapes its metrics ({@code host:port}), if it serves them. */
  public java.util.Optional<String> metricsAddress() {
    return metricsPort < 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(host + ":" + metricsPort);
  }
}
