package dev.millrace.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.millrace.runtime.transport.Message;
import dev.millrace.runtime.transport.Transport;
import io.netty.channel.Channel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven executor connection: sends what a test says, keeps what the driver answers. */
final class TestingPeer implements AutoCloseable {
  private final Channel channel;
  private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

  TestingPeer(Transport transport, int port) throws InterruptedException {
    this.channel =
        transport
            .connect(transport.nextLoop(), "127.0.0.1", port, (c, m) -> received.add(m))
            .sync()
            .channel();
  }

  void send(Message message) {
    channel.writeAndFlush(message);
  }

  <M extends Message> M next(Class<M> type) throws InterruptedException {
    Message message = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(message, "no answer within 5 s");
    return type.cast(message);
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
  }
}
