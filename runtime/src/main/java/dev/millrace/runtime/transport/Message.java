package dev.millrace.runtime.transport;

/**
 * Everything a driver and its executors say to each other: the closed set of messages of the
 * protocol, each a value. {@link MessageCodec} gives each a type byte and a hand-written binary
 * form; a message added later gets a new type byte, and a changed form a new protocol version.
 */
public sealed interface Message {

  /**
   * An executor asks to join the driver of {@code appName}.
   *
   * @param executorId the executor's id, stable across its re-registrations
   * @param appName the application the executor was started for
   * @param cores task slots the executor offers
   * @param memoryBytes memory the executor offers
   * @param pid the executor's process id
   * @param host the host the executor runs on
   * @param driverEpochSeen the newest driver epoch the executor has been registered with, 0 if none
   */
  record Register(
      String executorId,
      String appName,
      int cores,
      long memoryBytes,
      long pid,
      String host,
      long driverEpochSeen)
      implements Message {}

  /**
   * The driver accepted a {@link Register}.
   *
   * @param driverEpoch the driver's attempt number; a restarted driver has a higher one
   * @param sessionId this registration; every later message of the executor names it
   * @param heartbeatIntervalMs how often the executor must send a {@link Heartbeat}
   * @param heartbeatTimeoutMs after how much silence the driver declares the executor lost
   */
  record Registered(
      long driverEpoch, long sessionId, long heartbeatIntervalMs, long heartbeatTimeoutMs)
      implements Message {}

  /** The driver refused a {@link Register}, for {@code reason}. */
  record Rejected(String reason) implements Message {}

  /** An executor is alive, in session {@code sessionId} with driver epoch {@code driverEpoch}. */
  record Heartbeat(String executorId, long sessionId, long driverEpoch, long sequence)
      implements Message {}

  /** The driver of epoch {@code driverEpoch} heard heartbeat {@code sequence}. */
  record HeartbeatAck(long driverEpoch, long sequence) implements Message {}

  /**
   * The driver no longer knows the executor's session (declared lost, or another driver epoch): the
   * executor drops everything the session held and registers again.
   */
  record Lost(String reason) implements Message {}
}
