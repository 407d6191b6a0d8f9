package dev.millrace.runtime.transport;

import dev.millrace.runtime.shuffle.ShuffleId;
import dev.millrace.runtime.transport.Message.Heartbeat;
import dev.millrace.runtime.transport.Message.HeartbeatAck;
import dev.millrace.runtime.transport.Message.InputRecords;
import dev.millrace.runtime.transport.Message.Lost;
import dev.millrace.runtime.transport.Message.Register;
import dev.millrace.runtime.transport.Message.Registered;
import dev.millrace.runtime.transport.Message.Rejected;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.RunStateTask;
import dev.millrace.runtime.transport.Message.ShuffleMapDone;
import dev.millrace.runtime.transport.Message.StateOp;
import dev.millrace.runtime.transport.Message.StateTaskDone;
import dev.millrace.runtime.transport.Message.TaskFailed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link Message} inside one frame: a protocol version byte, a type byte, and
 * the message's fields in order (ints and longs big-endian, strings as an int byte count and
 * UTF-8). Written by hand rather than generated, so the wire form is exactly what this file says.
 */
public final class MessageCodec {
  /**
   * The protocol version this build speaks, the first byte of every frame. 5: heartbeats carry the
   * executor's heap, registrations its metrics port.
   */
  public static final byte VERSION = 5;

  private static final byte REGISTER = 1;
  private static final byte REGISTERED = 2;
  private static final byte REJECTED = 3;
  private static final byte HEARTBEAT = 4;
  private static final byte HEARTBEAT_ACK = 5;
  private static final byte LOST = 6;
  private static final byte RUN_SHUFFLE_MAP = 7;
  private static final byte SHUFFLE_MAP_DONE = 8;
  private static final byte TASK_FAILED = 9;
  private static final byte RUN_STATE_TASK = 10;
  private static final byte STATE_TASK_DONE = 11;

  private MessageCodec() {}

  /** Appends the frame body of {@code message} (version, type, fields) to {@code out}. */
  public static void encode(Message message, ByteBuf out) {
    out.writeByte(VERSION);
    if (message instanceof Register m) {
      out.writeByte(REGISTER);
      writeString(out, m.executorId());
      writeString(out, m.appName());
      out.writeInt(m.cores());
      out.writeLong(m.memoryBytes());
      out.writeLong(m.pid());
      writeString(out, m.host());
      out.writeLong(m.driverEpochSeen());
      writeString(out, m.applicationFingerprint());
      out.writeInt(m.metricsPort());
    } else if (message instanceof Registered m) {
      out.writeByte(REGISTERED);
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sessionId());
      out.writeLong(m.heartbeatIntervalMs());
      out.writeLong(m.heartbeatTimeoutMs());
    } else if (message instanceof Rejected m) {
      out.writeByte(REJECTED);
      writeString(out, m.reason());
      out.writeBoolean(m.permanent());
    } else if (message instanceof Heartbeat m) {
      out.writeByte(HEARTBEAT);
      writeString(out, m.executorId());
      out.writeLong(m.sessionId());
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sequence());
      out.writeLong(m.heapUsedBytes());
      out.writeLong(m.heapMaxBytes());
    } else if (message instanceof HeartbeatAck m) {
      out.writeByte(HEARTBEAT_ACK);
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sequence());
    } else if (message instanceof Lost m) {
      out.writeByte(LOST);
      writeString(out, m.reason());
    } else if (message instanceof RunShuffleMap m) {
      out.writeByte(RUN_SHUFFLE_MAP);
      out.writeLong(m.taskId());
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sessionId());
      out.writeLong(m.zeroTime());
      out.writeInt(m.shuffle().nodeId());
      out.writeLong(m.shuffle().batchTime());
      out.writeInt(m.shuffle().index());
      out.writeInt(m.mapPartition());
      out.writeInt(m.reducePartitions());
      out.writeInt(m.inputPlans().size());
      m.inputPlans()
          .forEach(
              (node, plan) -> {
                out.writeInt(node);
                writeBytes(out, plan);
              });
    } else if (message instanceof ShuffleMapDone m) {
      out.writeByte(SHUFFLE_MAP_DONE);
      out.writeLong(m.taskId());
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sessionId());
      out.writeInt(m.buckets().size());
      m.buckets().forEach(b -> writeBytes(out, b));
      out.writeInt(m.inputRecords().size());
      for (InputRecords r : m.inputRecords()) {
        out.writeInt(r.inputNode());
        out.writeInt(r.partition());
        out.writeLong(r.records());
      }
    } else if (message instanceof RunStateTask m) {
      out.writeByte(RUN_STATE_TASK);
      out.writeLong(m.taskId());
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sessionId());
      out.writeLong(m.zeroTime());
      out.writeInt(m.nodeId());
      out.writeInt(m.partition());
      out.writeByte(m.op().ordinal());
      out.writeLong(m.batchTime());
      out.writeLong(m.previousTime());
      writeBytes(out, m.records());
    } else if (message instanceof StateTaskDone m) {
      out.writeByte(STATE_TASK_DONE);
      out.writeLong(m.taskId());
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sessionId());
      writeBytes(out, m.records());
    } else if (message instanceof TaskFailed m) {
      out.writeByte(TASK_FAILED);
      out.writeLong(m.taskId());
      out.writeLong(m.driverEpoch());
      out.writeLong(m.sessionId());
      writeString(out, m.message());
    } else {
      // Unreachable while Message is sealed; Java 17 has no exhaustive switch over its types.
      throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
    }
  }

  /**
   * The message in the frame body {@code in}, which it consumes entirely.
   *
   * @throws ProtocolException if the version or type is unknown, or the body is malformed
   */
  public static Message decode(ByteBuf in) {
    try {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new ProtocolException(
            "protocol version "
                + version
                + " is not this build's version "
                + VERSION
                + "; driver and executors must run the same Millrace build");
      }
      byte type = in.readByte();
      Message message =
          switch (type) {
            case REGISTER ->
                new Register(
                    readString(in),
                    readString(in),
                    in.readInt(),
                    in.readLong(),
                    in.readLong(),
                    readString(in),
                    in.readLong(),
                    readString(in),
                    in.readInt());
            case REGISTERED ->
                new Registered(in.readLong(), in.readLong(), in.readLong(), in.readLong());
            case REJECTED -> new Rejected(readString(in), in.readBoolean());
            case HEARTBEAT ->
                new Heartbeat(
                    readString(in),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong());
            case HEARTBEAT_ACK -> new HeartbeatAck(in.readLong(), in.readLong());
            case LOST -> new Lost(readString(in));
            case RUN_SHUFFLE_MAP -> readRunShuffleMap(in);
            case SHUFFLE_MAP_DONE -> readShuffleMapDone(in);
            case RUN_STATE_TASK -> readRunStateTask(in);
            case STATE_TASK_DONE ->
                new StateTaskDone(in.readLong(), in.readLong(), in.readLong(), readBytes(in));
            case TASK_FAILED ->
                new TaskFailed(in.readLong(), in.readLong(), in.readLong(), readString(in));
            default ->
                throw new ProtocolException(
                    "unknown message type " + type + " in protocol version " + VERSION);
          };
      if (in.isReadable()) {
        throw new ProtocolException(
            in.readableBytes() + " bytes left over after " + message.getClass().getSimpleName());
      }
      return message;
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException("a truncated frame: " + e.getMessage());
    }
  }

  private static RunShuffleMap readRunShuffleMap(ByteBuf in) {
    long taskId = in.readLong();
    long epoch = in.readLong();
    long session = in.readLong();
    long zeroTime = in.readLong();
    ShuffleId shuffle = new ShuffleId(in.readInt(), in.readLong(), in.readInt());
    int mapPartition = in.readInt();
    int reducePartitions = in.readInt();
    int inputs = readCount(in, 8);
    Map<Integer, byte[]> plans = new LinkedHashMap<>();
    for (int i = 0; i < inputs; i++) {
      plans.put(in.readInt(), readBytes(in));
    }
    return new RunShuffleMap(
        taskId, epoch, session, zeroTime, shuffle, mapPartition, reducePartitions, plans);
  }

  private static RunStateTask readRunStateTask(ByteBuf in) {
    long taskId = in.readLong();
    long epoch = in.readLong();
    long session = in.readLong();
    long zeroTime = in.readLong();
    int nodeId = in.readInt();
    int partition = in.readInt();
    byte op = in.readByte();
    StateOp[] ops = StateOp.values();
    if (op < 0 || op >= ops.length) {
      throw new ProtocolException("unknown state operation " + op);
    }
    return new RunStateTask(
        taskId,
        epoch,
        session,
        zeroTime,
        nodeId,
        partition,
        ops[op],
        in.readLong(),
        in.readLong(),
        readBytes(in));
  }

  private static ShuffleMapDone readShuffleMapDone(ByteBuf in) {
    long taskId = in.readLong();
    long epoch = in.readLong();
    long session = in.readLong();
    int count = readCount(in, 4);
    List<byte[]> buckets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      buckets.add(readBytes(in));
    }
    int counted = readCount(in, 16);
    List<InputRecords> inputRecords = new ArrayList<>(counted);
    for (int i = 0; i < counted; i++) {
      inputRecords.add(new InputRecords(in.readInt(), in.readInt(), in.readLong()));
    }
    return new ShuffleMapDone(taskId, epoch, session, buckets, inputRecords);
  }

  /** A count of elements of at least {@code minBytes} each, checked against what is left. */
  private static int readCount(ByteBuf in, int minBytes) {
    int count = in.readInt();
    if (count < 0 || (long) count * minBytes > in.readableBytes()) {
      throw new ProtocolException(
          "a count of " + count + " elements in a frame with " + in.readableBytes() + " left");
    }
    return count;
  }

  private static void writeBytes(ByteBuf out, byte[] bytes) {
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
  }

  private static byte[] readBytes(ByteBuf in) {
    int length = in.readInt();
    if (length < 0 || length > in.readableBytes()) {
      throw new ProtocolException(
          "a byte string of " + length + " bytes in a frame with " + in.readableBytes() + " left");
    }
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }

  private static void writeString(ByteBuf out, String s) {
    out.writeInt(ByteBufUtil.utf8Bytes(s));
    ByteBufUtil.writeUtf8(out, s);
  }

  private static String readString(ByteBuf in) {
    int length = in.readInt();
    if (length < 0 || length > in.readableBytes()) {
      throw new ProtocolException(
          "a string of " + length + " bytes in a frame with " + in.readableBytes() + " left");
    }
    return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
  }
}
