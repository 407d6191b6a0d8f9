package dev.millrace.runtime.transport;

import dev.millrace.runtime.shuffle.ShuffleId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
   * @param applicationFingerprint the fingerprint of the spec the executor built its graph from, or
   *     empty if it has none (then it can run no task)
   * @param metricsPort the port the executor serves its Prometheus metrics on, or -1 for none
   */
  record Register(
      String executorId,
      String appName,
      int cores,
      long memoryBytes,
      long pid,
      String host,
      long driverEpochSeen,
      String applicationFingerprint,
      int metricsPort)
      implements Message {

    /** A registration of an executor that serves no metrics. */
    public Register(
        String executorId,
        String appName,
        int cores,
        long memoryBytes,
        long pid,
        String host,
        long driverEpochSeen,
        String applicationFingerprint) {
      this(
          executorId,
          appName,
          cores,
          memoryBytes,
          pid,
          host,
          driverEpochSeen,
          applicationFingerprint,
          -1);
    }
  }

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

  /**
   * The driver refused a {@link Register}, for {@code reason}. A {@code permanent} refusal (another
   * application, or another build of it) is the same from any driver at that address: the executor
   * exits so that its backend starts a new one from the current spec. Otherwise it tries again.
   */
  record Rejected(String reason, boolean permanent) implements Message {}

  /**
   * An executor is alive, in session {@code sessionId} with driver epoch {@code driverEpoch}, its
   * Java heap using {@code heapUsedBytes} of at most {@code heapMaxBytes} (-1 where unknown).
   */
  record Heartbeat(
      String executorId,
      long sessionId,
      long driverEpoch,
      long sequence,
      long heapUsedBytes,
      long heapMaxBytes)
      implements Message {

    /** A heartbeat that does not tell the heap. */
    public Heartbeat(String executorId, long sessionId, long driverEpoch, long sequence) {
      this(executorId, sessionId, driverEpoch, sequence, -1, -1);
    }
  }

  /** The driver of epoch {@code driverEpoch} heard heartbeat {@code sequence}. */
  record HeartbeatAck(long driverEpoch, long sequence) implements Message {}

  /**
   * The driver no longer knows the executor's session (declared lost, or another driver epoch): the
   * executor drops everything the session held and registers again.
   */
  record Lost(String reason) implements Message {}

  /** Work the driver sends an executor's session; answered by one {@link TaskResult}. */
  sealed interface Task extends Message {
    /** The driver's number for this attempt of the task, unique within its epoch. */
    long taskId();

    /** The driver epoch the task comes from. */
    long driverEpoch();

    /** The executor's session the task belongs to. */
    long sessionId();
  }

  /** What a {@link RunStateTask} does to the partition of state its executor owns. */
  enum StateOp {
    /** Keep {@code records} (key, state, ...) as the partition's state at {@code batchTime}. */
    SET,
    /**
     * Compute the state at {@code batchTime} from the state held at {@code previousTime} (none if
     * {@code previousTime} is -1) and the batch's new values {@code records} (key, values list,
     * ...), and keep it.
     */
    UPDATE,
    /** Answer the state held at {@code batchTime}. */
    FETCH,
    /**
     * Write the state held at {@code batchTime} into the checkpoint directory, for the generation
     * of batch {@code previousTime}, as pairs of key and wire-form value, and answer its length and
     * CRC32.
     */
    SNAPSHOT,
    /**
     * Rebuild the state at {@code batchTime} from the newest checkpoint generation at or before it
     * and the batches the batch log holds after that generation, and keep it.
     */
    RESTORE,
    /** Forget the partition: it moved to another owner. */
    DROP
  }

  /**
   * The driver asks the executor that owns partition {@code partition} of {@code updateStateByKey}
   * node {@code nodeId} to do {@code op} on it; answered by {@link StateTaskDone} or {@link
   * TaskFailed}.
   *
   * @param zeroTime the graph's zero time, from which batch times count
   * @param records the records {@code op} takes, encoded with the standard record codec; empty for
   *     FETCH and RESTORE
   */
  record RunStateTask(
      long taskId,
      long driverEpoch,
      long sessionId,
      long zeroTime,
      int nodeId,
      int partition,
      StateOp op,
      long batchTime,
      long previousTime,
      byte[] records)
      implements Task {}

  /**
   * A state task succeeded; {@code records} is the partition's state (key, state, ...) for FETCH,
   * encoded with the standard record codec, and empty otherwise.
   */
  record StateTaskDone(long taskId, long driverEpoch, long sessionId, byte[] records)
      implements TaskResult {}

  /**
   * The driver asks an executor to run one map task of a shuffle: rebuild the inputs of batch
   * {@code shuffle.batchTime()} from their plans, compute the map partition with map-side combine,
   * and answer {@link ShuffleMapDone} or {@link TaskFailed}.
   *
   * @param taskId the driver's number for this attempt of the task, unique within its epoch
   * @param driverEpoch the driver's epoch
   * @param sessionId the executor's session the task belongs to
   * @param zeroTime the graph's zero time, from which batch times count
   * @param shuffle the shuffle, named the same in every process
   * @param mapPartition the partition of the shuffle's input the task reads
   * @param reducePartitions how many reduce partitions the output is split into
   * @param inputPlans for each input node id the shuffle reads, its plan of the batch as the batch
   *     log records it
   */
  record RunShuffleMap(
      long taskId,
      long driverEpoch,
      long sessionId,
      long zeroTime,
      ShuffleId shuffle,
      int mapPartition,
      int reducePartitions,
      Map<Integer, byte[]> inputPlans)
      implements Task {
    /** Copies {@code inputPlans}, keeping their order. */
    public RunShuffleMap {
      inputPlans = Collections.unmodifiableMap(new LinkedHashMap<>(inputPlans));
    }
  }

  /** The result of a task, from the executor's session {@code sessionId}. */
  sealed interface TaskResult extends Message {
    /** The task this answers. */
    long taskId();

    /** The driver epoch the task came from. */
    long driverEpoch();

    /** The executor's session that ran the task. */
    long sessionId();
  }

  /**
   * A map task succeeded.
   *
   * @param buckets for each reduce partition, its (key, combiner) pairs flattened as key, combiner,
   *     key, combiner..., encoded with the standard record codec
   * @param inputRecords the record counts of the input partitions the executor has read for the
   *     batch, so that the driver counts the batch's records without reading its input
   */
  record ShuffleMapDone(
      long taskId,
      long driverEpoch,
      long sessionId,
      List<byte[]> buckets,
      List<InputRecords> inputRecords)
      implements TaskResult {
    /** Copies {@code buckets} and {@code inputRecords}. */
    public ShuffleMapDone {
      buckets = List.copyOf(buckets);
      inputRecords = List.copyOf(inputRecords);
    }

    /** The encoded bytes of every bucket: what the shuffle moved for this task. */
    public long bucketBytes() {
      long bytes = 0;
      for (byte[] bucket : buckets) {
        bytes += bucket.length;
      }
      return bytes;
    }
  }

  /** Partition {@code partition} of input node {@code inputNode}'s batch held {@code records}. */
  record InputRecords(int inputNode, int partition, long records) {}

  /** A task failed on the executor, for {@code message}. */
  record TaskFailed(long taskId, long driverEpoch, long sessionId, String message)
      implements TaskResult {}
}
