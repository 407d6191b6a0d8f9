package dev.millrace.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.shuffle.ShuffleId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  @Test
  void everyMessageReadsBackAsWritten() {
    List<Message> messages =
        List.of(
            new Message.Register(
                "exec-1", "clicks", 4, 1L << 30, 4242, "node-ä.local", 3, "cafe0001"),
            new Message.Register(
                "exec-2", "clicks", 4, 1L << 30, 4243, "node-7", 0, "cafe0001", 40471),
            new Message.Registered(2, 17, 1_000, 10_000),
            new Message.Rejected("wrong app: 'a' is not 'b'", true),
            new Message.Heartbeat("exec-1", 17, 2, Long.MAX_VALUE),
            new Message.Heartbeat("exec-1", 17, 2, 3, 120L << 20, 640L << 20),
            new Message.HeartbeatAck(2, 99),
            new Message.Lost("session 17 is over"));
    for (Message message : messages) {
      ByteBuf frame = Unpooled.buffer();
      MessageCodec.encode(message, frame);
      assertEquals(MessageCodec.VERSION, frame.getByte(0));
      assertEquals(message, MessageCodec.decode(frame));
    }
  }

  @Test
  void taskMessagesReadBackAsWrittenWithTheirBytes() {
    Message.RunShuffleMap run =
        roundTrip(
            new Message.RunShuffleMap(
                41,
                2,
                17,
                1_000,
                new ShuffleId(3, 5_000, 1),
                6,
                8,
                Map.of(0, new byte[] {1, 2, 3}, 4, new byte[0])));
    assertEquals(41, run.taskId());
    assertEquals(2, run.driverEpoch());
    assertEquals(17, run.sessionId());
    assertEquals(1_000, run.zeroTime());
    assertEquals(new ShuffleId(3, 5_000, 1), run.shuffle());
    assertEquals(6, run.mapPartition());
    assertEquals(8, run.reducePartitions());
    assertEquals(Set.of(0, 4), run.inputPlans().keySet());
    assertArrayEquals(new byte[] {1, 2, 3}, run.inputPlans().get(0));
    assertArrayEquals(new byte[0], run.inputPlans().get(4));

    Message.ShuffleMapDone done =
        roundTrip(
            new Message.ShuffleMapDone(
                41,
                2,
                17,
                List.of(new byte[] {9}, new byte[0]),
                List.of(new Message.InputRecords(0, 3, 12_345_678_901L))));
    assertEquals(
        List.of(41L, 2L, 17L), List.of(done.taskId(), done.driverEpoch(), done.sessionId()));
    assertEquals(2, done.buckets().size());
    assertArrayEquals(new byte[] {9}, done.buckets().get(0));
    assertArrayEquals(new byte[0], done.buckets().get(1));
    assertEquals(List.of(new Message.InputRecords(0, 3, 12_345_678_901L)), done.inputRecords());

    Message.TaskFailed failed = new Message.TaskFailed(41, 2, 17, "input ä is gone");
    assertEquals(failed, roundTrip(failed));
  }

  @Test
  void aByteStringLongerThanItsFrameIsRefused() {
    ByteBuf frame = Unpooled.buffer();
    MessageCodec.encode(
        new Message.ShuffleMapDone(1, 1, 1, List.of(new byte[] {1, 2}), List.of()), frame);
    // The last bucket's length: before its 2 bytes and the 4-byte count of input records.
    frame.setInt(frame.writerIndex() - 10, 1_000);
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(frame));
    assertTrue(e.getMessage().contains("1000 bytes"), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> M roundTrip(M message) {
    ByteBuf frame = Unpooled.buffer();
    MessageCodec.encode(message, frame);
    return (M) MessageCodec.decode(frame);
  }

  @Test
  void aFrameOfAnotherProtocolVersionIsRefused() {
    ByteBuf frame = Unpooled.buffer();
    MessageCodec.encode(new Message.HeartbeatAck(1, 1), frame);
    frame.setByte(0, 9);
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(frame));
    assertTrue(e.getMessage().contains("protocol version 9"), e.getMessage());
  }

  @Test
  void aFrameOfAnUnknownTypeIsRefused() {
    ByteBuf frame = Unpooled.buffer().writeByte(MessageCodec.VERSION).writeByte(77);
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(frame));
    assertTrue(e.getMessage().contains("unknown message type 77"), e.getMessage());
  }

  @Test
  void aConnectionSendingAnotherProtocolVersionIsClosed() throws Exception {
    try (Transport transport = new Transport("test", TransportOptions.defaults())) {
      var server =
          transport.listen(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), (channel, message) -> {});
      int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(5_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(2);
        out.writeByte(9);
        out.writeByte(1);
        out.flush();
        InputStream in = socket.getInputStream();
        assertEquals(-1, in.read(), "the transport closes a connection of another version");
      }
      server.close().sync();
    }
  }
}
