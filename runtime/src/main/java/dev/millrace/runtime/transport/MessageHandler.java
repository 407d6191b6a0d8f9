package dev.millrace.runtime.transport;

import io.netty.channel.Channel;

/**
 * What one side of the protocol does with its connections. Called on the connection's event-loop
 * thread, one call at a time per connection; a handler must not block.
 */
public interface MessageHandler {
  /** {@code channel} is open and can be written to. */
  default void connected(Channel channel) {}

  /** {@code message} arrived on {@code channel}. */
  void received(Channel channel, Message message);

  /** {@code channel} closed, by either side or by a protocol error. */
  default void disconnected(Channel channel) {}
}
