package dev.millrace.runtime.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one network layer of a Millrace process: an event-loop group of daemon threads, and
 * connections that carry {@link Message}s in length-prefixed frames ({@code int length, byte
 * version, byte type, fields}) with the limits of {@link TransportOptions}. A frame of another
 * protocol version or of an unknown type closes its connection with a log line naming the peer.
 *
 * <p>One per process; {@link #close} stops every connection and thread.
 */
public final class Transport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final TransportOptions options;
  private final EventLoopGroup group;

  /** A transport with {@code options}, its threads named {@code millrace-<name>-N}. */
  public Transport(String name, TransportOptions options) {
    this.options = options;
    this.group = new NioEventLoopGroup(0, new DefaultThreadFactory("millrace-" + name, true));
  }

  /** One of the group's event loops, for an owner that wants all its work on one thread. */
  public EventLoop nextLoop() {
    return group.next();
  }

  /**
   * Listens on {@code address} (port 0 picks a free port; the wildcard address every interface) and
   * hands each accepted connection to {@code handler}; returns the listening channel, whose close
   * stops listening.
   *
   * @throws IOException if the address cannot be bound
   * @throws InterruptedException if interrupted while binding
   */
  public Channel listen(InetSocketAddress address, MessageHandler handler)
      throws IOException, InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            // A restarted driver takes the port of the one before, whose sockets may linger.
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childHandler(initializer(handler));
    ChannelFuture bound = bootstrap.bind(address).await();
    if (!bound.isSuccess()) {
      throw new IOException(
          "cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause());
    }
    return bound.channel();
  }

  /**
   * Connects to {@code host:port} on {@code loop} and hands the connection to {@code handler}; the
   * future fails after the connect timeout.
   */
  public ChannelFuture connect(EventLoop loop, String host, int port, MessageHandler handler) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .handler(initializer(handler));
    return bootstrap.connect(host, port);
  }

  private WriteBufferWaterMark waterMark() {
    return new WriteBufferWaterMark(options.writeBufferLowBytes(), options.writeBufferHighBytes());
  }

  private ChannelInitializer<SocketChannel> initializer(MessageHandler handler) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        channel
            .pipeline()
            .addLast(
                new IdleStateHandler(options.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
            .addLast(
                new LengthFieldBasedFrameDecoder(options.maxFrameBytes(), 0, Integer.BYTES, 0, 4))
            .addLast(new LengthFieldPrepender(Integer.BYTES))
            .addLast(new Encoder())
            .addLast(new Decoder())
            .addLast(new Dispatcher(handler));
      }
    };
  }

  /** Stops every connection and the event-loop threads. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static final class Encoder extends MessageToByteEncoder<Message> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) {
      MessageCodec.encode(message, out);
    }
  }

  private static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
      out.add(MessageCodec.decode(frame));
    }
  }

  private static final class Dispatcher extends SimpleChannelInboundHandler<Message> {
    private final MessageHandler handler;

    Dispatcher(MessageHandler handler) {
      this.handler = handler;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      handler.connected(ctx.channel());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) {
      handler.received(ctx.channel(), message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      handler.disconnected(ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        LOG.warn("closing the connection with {}: nothing received for too long", peer(ctx));
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable reason = cause.getCause() instanceof ProtocolException ? cause.getCause() : cause;
      LOG.warn("closing the connection with {}: {}", peer(ctx), reason.getMessage());
      ctx.close();
    }

    private static Object peer(ChannelHandlerContext ctx) {
      return ctx.channel().remoteAddress();
    }
  }
}
