package dev.millrace.crds.launch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One executor registered with a driver, as its status endpoint lists it.
 *
 * @param id the executor's id, stable across its re-registrations
 * @param host the host it runs on
 * @param pid its process id
 * @param cores task slots it offers
 * @param sessionId its current registration; a newer one replaces a fenced one
 * @param lastHeartbeatMs when the driver last heard from it, epoch milliseconds
 * @param tasksCompleted tasks whose results the driver accepted from it, over all its sessions; 0
 *     from drivers that do not count them
 * @param statePartitions partitions of keyed state ({@code updateStateByKey}, incremental windows)
 *     it owns now, over all such streams; 0 while the state is kept in the driver
 * @param heapUsedBytes the Java heap it used at its newest heartbeat; null before one, and from
 *     drivers that do not tell it
 * @param heapMaxBytes the most Java heap it may use; null as {@code heapUsedBytes} is
 * @param metricsAddress where Prometheus scrapes its metrics ({@code host:port}); null when it
 *     serves none, and from drivers that do not tell it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutorReport(
    String id,
    String host,
    long pid,
    int cores,
    long sessionId,
    long lastHeartbeatMs,
    long tasksCompleted,
    int statePartitions,
    Long heapUsedBytes,
    Long heapMaxBytes,
    String metricsAddress) {

  /** A report without the executor's heap. */
  public ExecutorReport(
      String id,
      String host,
      long pid,
      int cores,
      long sessionId,
      long lastHeartbeatMs,
      long tasksCompleted,
      int statePartitions) {
    this(
        id,
        host,
        pid,
        cores,
        sessionId,
        lastHeartbeatMs,
        tasksCompleted,
        statePartitions,
        null,
        null,
        null);
  }
}
