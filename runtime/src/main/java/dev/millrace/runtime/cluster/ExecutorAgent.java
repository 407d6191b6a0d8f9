package dev.millrace.runtime.cluster;

import dev.millrace.runtime.source.ReconnectBackoff;
import dev.millrace.runtime.transport.Message;
import dev.millrace.runtime.transport.Message.Heartbeat;
import dev.millrace.runtime.transport.Message.HeartbeatAck;
import dev.millrace.runtime.transport.Message.Lost;
import dev.millrace.runtime.transport.Message.Register;
import dev.millrace.runtime.transport.Message.Registered;
import dev.millrace.runtime.transport.Message.Rejected;
import dev.millrace.runtime.transport.Message.Task;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.runtime.transport.MessageHandler;
import dev.millrace.runtime.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's side of membership: connects to the driver (with backoff), registers, heartbeats
 * at the interval the driver asks for, and registers again, dropping its session, when the
 * connection closes, when the driver answers {@link Lost}, or when a restarted driver (a higher
 * epoch) accepts it. Gives up, completing {@link #driverGone()}, when no driver has answered for
 * the driver timeout, so that its supervisor replaces it.
 *
 * <p>All state belongs to one event-loop thread; the getters read volatile copies, for observers.
 */
public final class ExecutorAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorAgent.class);
  private static final Executor LOCATING =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "locate-driver");
            t.setDaemon(true);
            return t;
          });

  private final Transport transport;
  private final EventLoop loop;
  private final DriverLocator driver;
  private final Register identity;
  private final Duration driverTimeout;
  private final TaskHandler tasks;
  private final ReconnectBackoff backoff = new ReconnectBackoff();
  private final CompletableFuture<String> driverGone = new CompletableFuture<>();

  private Channel channel;
  private String driverAddress;
  private ScheduledFuture<?> heartbeats;
  private ScheduledFuture<?> watchdog;
  private long sequence;
  private long lastHeardNanos;
  private boolean closed;
  private volatile long sessionId;
  private volatile long driverEpoch;

  /**
   * An agent for the executor {@code identity} describes ({@link Register#driverEpochSeen} is
   * ignored), for the driver {@code driver} locates (asked before each connection attempt), giving
   * up after {@code driverTimeout} without an answer, running the tasks of its current session with
   * {@code tasks}. Nothing happens before {@link #start}.
   */
  public ExecutorAgent(
      Transport transport,
      DriverLocator driver,
      Register identity,
      Duration driverTimeout,
      TaskHandler tasks) {
    this.transport = transport;
    this.loop = transport.nextLoop();
    this.driver = driver;
    this.identity = identity;
    this.driverTimeout = driverTimeout;
    this.tasks = tasks;
  }

  /** Starts connecting to the driver. */
  public void start() {
    loop.execute(
        () -> {
          lastHeardNanos = System.nanoTime();
          long checkMillis = Math.max(10, Math.min(1000, driverTimeout.toMillis() / 4));
          watchdog =
              loop.scheduleWithFixedDelay(
                  this::checkDriverTimeout, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
          connect();
        });
  }

  /** Completes, with the reason, when the agent gave up on the driver. */
  public CompletableFuture<String> driverGone() {
    return driverGone;
  }

  /** The current session, or 0 while not registered. */
  public long sessionId() {
    return sessionId;
  }

  /** The epoch of the newest driver that accepted this executor, or 0 before one did. */
  public long driverEpoch() {
    return driverEpoch;
  }

  private void connect() {
    if (closed) {
      return;
    }
    if (driver.immediate()) {
      connectTo(locateNow());
    } else {
      // May read a remote file: never on the event loop.
      CompletableFuture.supplyAsync(this::locateNow, LOCATING)
          .thenAccept(address -> loop.execute(() -> connectTo(address)));
    }
  }

  /** The driver's address, or null (logged) if it cannot be known now. */
  private InetSocketAddress locateNow() {
    try {
      return driver.locate();
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot locate the driver ({}): {}", driver, e.toString());
      return null;
    }
  }

  private void connectTo(InetSocketAddress address) {
    if (closed) {
      return;
    }
    if (address == null) {
      reconnectLater();
      return;
    }
    driverAddress = address.getHostString() + ":" + address.getPort();
    transport
        .connect(loop, address.getHostString(), address.getPort(), new Handler())
        .addListener(
            connecting -> {
              if (!connecting.isSuccess()) {
                LOG.debug(
                    "cannot reach the driver at {}: {}", address, connecting.cause().getMessage());
                reconnectLater();
              }
            });
  }

  private void reconnectLater() {
    if (!closed) {
      loop.schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void register(Channel to) {
    to.writeAndFlush(
        new Register(
            identity.executorId(),
            identity.appName(),
            identity.cores(),
            identity.memoryBytes(),
            identity.pid(),
            identity.host(),
            driverEpoch,
            identity.applicationFingerprint(),
            identity.metricsPort()));
  }

  private void registered(Registered accepted) {
    backoff.reset();
    lastHeardNanos = System.nanoTime();
    if (driverEpoch != 0 && accepted.driverEpoch() > driverEpoch) {
      LOG.info(
          "the driver restarted (epoch {} -> {}); dropped everything of the old driver",
          driverEpoch,
          accepted.driverEpoch());
    }
    dropSession();
    driverEpoch = accepted.driverEpoch();
    sessionId = accepted.sessionId();
    heartbeats =
        loop.scheduleWithFixedDelay(
            this::heartbeat, 0, accepted.heartbeatIntervalMs(), TimeUnit.MILLISECONDS);
    LOG.info(
        "executor {} registered with driver epoch {} at {} as session {}",
        identity.executorId(),
        driverEpoch,
        driverAddress,
        sessionId);
  }

  private void heartbeat() {
    if (channel != null && sessionId != 0) {
      Runtime heap = Runtime.getRuntime();
      channel.writeAndFlush(
          new Heartbeat(
              identity.executorId(),
              sessionId,
              driverEpoch,
              ++sequence,
              heap.totalMemory() - heap.freeMemory(),
              heap.maxMemory()));
    }
  }

  /**
   * Sends a task's result if its session is still the current one. A result of an older session
   * would be fenced, and the driver's {@link Lost} would then end the current session too.
   */
  private void answer(TaskResult result) {
    if (channel != null && result.sessionId() == sessionId && result.driverEpoch() == driverEpoch) {
      channel.writeAndFlush(result);
    } else {
      LOG.debug("dropped the result of task {}: its session is over", result.taskId());
    }
  }

  /** Forgets the session and everything it held: its tasks' results and its state partitions. */
  private void dropSession() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
      heartbeats = null;
    }
    if (sessionId != 0) {
      tasks.sessionEnded();
    }
    sessionId = 0;
  }

  private void checkDriverTimeout() {
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos > driverTimeout.toNanos() && !driverGone.isDone()) {
      String reason =
          "no driver at "
              + (driverAddress == null ? driver.toString() : driverAddress)
              + " has answered for "
              + TimeUnit.NANOSECONDS.toMillis(silentNanos)
              + " ms (driver timeout "
              + driverTimeout.toMillis()
              + " ms)";
      LOG.error("executor {} gives up: {}", identity.executorId(), reason);
      driverGone.complete(reason);
    }
  }

  /** Stops heartbeating and closes the connection; the driver sees the executor leave. */
  @Override
  public void close() {
    loop.submit(
            () -> {
              closed = true;
              dropSession();
              if (watchdog != null) {
                watchdog.cancel(false);
              }
              if (channel != null) {
                channel.close();
              }
            })
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private final class Handler implements MessageHandler {
    @Override
    public void connected(Channel connected) {
      if (closed) {
        connected.close();
        return;
      }
      channel = connected;
      register(connected);
    }

    @Override
    public void received(Channel from, Message message) {
      if (message instanceof Registered accepted) {
        registered(accepted);
      } else if (message instanceof HeartbeatAck ack) {
        if (ack.driverEpoch() == driverEpoch) {
          lastHeardNanos = System.nanoTime();
        }
      } else if (message instanceof Task task) {
        // A task of an older session or driver would be fenced on return; do not even run it.
        if (task.sessionId() == sessionId && task.driverEpoch() == driverEpoch) {
          tasks.run(task, result -> loop.execute(() -> answer(result)));
        } else {
          LOG.debug("dropped task {} of session {}, not the current one", task.taskId(), sessionId);
        }
      } else if (message instanceof Lost lost) {
        // Stale heartbeats sent before the first Lost are answered with Lost too; one
        // re-registration answers them all.
        if (sessionId != 0) {
          LOG.warn("driver epoch {} fenced session {}: {}", driverEpoch, sessionId, lost.reason());
          dropSession();
          register(from);
        }
      } else if (message instanceof Rejected rejected) {
        LOG.error(
            "the driver at {} refused executor {}{}: {}",
            driverAddress,
            identity.executorId(),
            rejected.permanent() ? " for good" : "",
            rejected.reason());
        if (rejected.permanent()) {
          driverGone.complete(rejected.reason());
        }
        from.close();
      } else {
        LOG.warn(
            "closing the connection with {}: a driver does not send {}",
            from.remoteAddress(),
            message.getClass().getSimpleName());
        from.close();
      }
    }

    @Override
    public void disconnected(Channel gone) {
      if (gone != channel) {
        return;
      }
      channel = null;
      if (!closed) {
        LOG.info(
            "executor {} lost its connection to the driver at {}; reconnecting",
            identity.executorId(),
            driverAddress);
        dropSession();
        reconnectLater();
      }
    }
  }
}
