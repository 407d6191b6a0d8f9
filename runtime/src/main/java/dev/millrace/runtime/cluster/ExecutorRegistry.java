package dev.millrace.runtime.cluster;

import dev.millrace.runtime.transport.Message;
import dev.millrace.runtime.transport.Message.Heartbeat;
import dev.millrace.runtime.transport.Message.HeartbeatAck;
import dev.millrace.runtime.transport.Message.Lost;
import dev.millrace.runtime.transport.Message.Register;
import dev.millrace.runtime.transport.Message.Registered;
import dev.millrace.runtime.transport.Message.Rejected;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.runtime.transport.MessageHandler;
import dev.millrace.runtime.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of membership: listens for executors of one application, gives each
 * registration a new session, and declares an executor lost after a heartbeat timeout of silence
 * (on {@code clock}) or when its connection closes.
 *
 * <p>Fencing: the registry's epoch is the driver attempt, so a restarted driver has a higher one. A
 * heartbeat that names another epoch, or a session that is not its executor's current one (declared
 * lost, or replaced by a newer registration), is answered with {@link Lost} and otherwise ignored:
 * an executor that stalled and woke up after being declared lost cannot act, and registers again. A
 * registration from an executor that has seen a newer epoch than this driver's is rejected, so a
 * zombie driver gets no executors.
 *
 * <p>Thread-safe: connections call in on transport threads; the state is guarded by the object's
 * lock, and listeners are called after it is released. Listeners hear the changes in the order the
 * registry made them, whichever threads made them: a session's loss is heard before the same
 * executor's next registration, and before the fencing of the lost session's late messages.
 */
public final class ExecutorRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegistry.class);

  private final String appName;
  private final String applicationFingerprint;
  private final long epoch;
  private final Duration heartbeatInterval;
  private final Duration heartbeatTimeout;
  private final Clock clock;
  private final Channel server;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ScheduledFuture<?> expiry;
  private final List<ExecutorListener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock notifying = new ReentrantLock();
  // Guarded by this: each change queues its notice under the lock that made the change.
  private final Queue<Consumer<ExecutorListener>> notices = new ArrayDeque<>();
  private final AtomicLong lastTaskId = new AtomicLong();

  private final Map<String, Member> members = new LinkedHashMap<>();
  private long lastSessionId;

  private record Member(ExecutorInfo info, Channel channel) {}

  private ExecutorRegistry(
      Transport transport,
      InetSocketAddress address,
      String appName,
      String applicationFingerprint,
      long epoch,
      Duration heartbeatInterval,
      Duration heartbeatTimeout,
      Clock clock)
      throws IOException, InterruptedException {
    this.appName = appName;
    this.applicationFingerprint = applicationFingerprint;
    this.epoch = epoch;
    this.heartbeatInterval = heartbeatInterval;
    this.heartbeatTimeout = heartbeatTimeout;
    this.clock = clock;
    this.server = transport.listen(address, new Handler());
    long checkMillis =
        Math.max(10, Math.min(heartbeatInterval.toMillis(), heartbeatTimeout.toMillis() / 4));
    this.expiry =
        transport
            .nextLoop()
            .scheduleWithFixedDelay(
                this::expireSilentExecutors, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A registry of the executors of {@code appName} listening on {@code address} (port 0: a free
   * one), as driver epoch {@code epoch}; executors heartbeat every {@code heartbeatInterval} and
   * are lost after {@code heartbeatTimeout} of silence, measured on {@code clock}. Executors are
   * accepted whatever spec they were started from.
   *
   * @throws IOException if the address cannot be bound
   * @throws InterruptedException if interrupted while binding the port
   */
  public static ExecutorRegistry start(
      Transport transport,
      InetSocketAddress address,
      String appName,
      long epoch,
      Duration heartbeatInterval,
      Duration heartbeatTimeout,
      Clock clock)
      throws IOException, InterruptedException {
    return start(
        transport, address, appName, null, epoch, heartbeatInterval, heartbeatTimeout, clock);
  }

  /**
   * As above, accepting only executors started from a spec whose {@linkplain
   * dev.millrace.runtime.driver.ApplicationGraphs#fingerprint fingerprint} is {@code
   * applicationFingerprint} (or from none: they run no task): an executor still running an older
   * build after an upgrade is refused for good, and its backend starts a new one.
   */
  public static ExecutorRegistry start(
      Transport transport,
      InetSocketAddress address,
      String appName,
      String applicationFingerprint,
      long epoch,
      Duration heartbeatInterval,
      Duration heartbeatTimeout,
      Clock clock)
      throws IOException, InterruptedException {
    if (epoch < 1) {
      throw new IllegalArgumentException("the driver epoch counts from 1, got " + epoch);
    }
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "the heartbeat timeout "
              + heartbeatTimeout
              + " must be longer than the heartbeat interval "
              + heartbeatInterval);
    }
    ExecutorRegistry registry =
        new ExecutorRegistry(
            transport,
            address,
            appName,
            applicationFingerprint,
            epoch,
            heartbeatInterval,
            heartbeatTimeout,
            clock);
    LOG.info(
        "driver epoch {} accepts executors of '{}' on {}",
        epoch,
        appName,
        registry.server.localAddress());
    return registry;
  }

  /** The port executors connect to. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** This driver's epoch. */
  public long epoch() {
    return epoch;
  }

  /** A task id no other task of this driver has: the runners share one sequence. */
  public long newTaskId() {
    return lastTaskId.incrementAndGet();
  }

  /** Adds {@code listener}, which hears every later change. */
  public void addListener(ExecutorListener listener) {
    listeners.add(listener);
  }

  /** The executors registered and not lost, in the order they registered. */
  public synchronized List<ExecutorInfo> executors() {
    return members.values().stream().map(Member::info).toList();
  }

  /** How many executors are registered and not lost. */
  public synchronized int executorsReady() {
    return members.size();
  }

  /** Declares lost every executor silent for longer than the heartbeat timeout, now. */
  void expireSilentExecutors() {
    Instant now = clock.instant();
    synchronized (this) {
      for (var it = members.values().iterator(); it.hasNext(); ) {
        ExecutorInfo info = it.next().info();
        if (Duration.between(info.lastHeartbeatAt(), now).compareTo(heartbeatTimeout) > 0) {
          it.remove();
          lost(
              info,
              "no heartbeat since "
                  + info.lastHeartbeatAt()
                  + ", longer than the heartbeat timeout of "
                  + heartbeatTimeout.toMillis()
                  + " ms");
        }
      }
    }
    notifyListeners();
  }

  private void register(Channel channel, Register request) {
    if (!request.appName().equals(appName)) {
      reject(
          channel,
          request,
          "executor "
              + request.executorId()
              + " was started for application '"
              + request.appName()
              + "', but this driver runs '"
              + appName
              + "'; start it with --app "
              + appName,
          true);
      return;
    }
    if (applicationFingerprint != null
        && !request.applicationFingerprint().isEmpty()
        && !request.applicationFingerprint().equals(applicationFingerprint)) {
      reject(
          channel,
          request,
          "executor "
              + request.executorId()
              + " built its graph from another spec of '"
              + appName
              + "' (fingerprint "
              + request.applicationFingerprint()
              + ", this driver's is "
              + applicationFingerprint
              + "): the application changed since it started, so it must be restarted with the"
              + " current spec",
          true);
      return;
    }
    if (request.driverEpochSeen() > epoch) {
      reject(
          channel,
          request,
          "executor "
              + request.executorId()
              + " has registered with driver epoch "
              + request.driverEpochSeen()
              + ", newer than this driver's epoch "
              + epoch
              + ": a newer driver attempt runs, so this one must not get executors",
          false);
      return;
    }
    Instant now = clock.instant();
    ExecutorInfo info;
    synchronized (this) {
      Member replaced = members.remove(request.executorId());
      info =
          new ExecutorInfo(
              request.executorId(),
              request.host(),
              request.pid(),
              request.cores(),
              request.memoryBytes(),
              ++lastSessionId,
              now,
              now,
              -1,
              -1,
              request.metricsPort());
      members.put(info.executorId(), new Member(info, channel));
      if (replaced != null) {
        lost(replaced.info(), "it registered again, as session " + info.sessionId());
      }
      notices.add(l -> l.executorAdded(info));
    }
    channel.writeAndFlush(
        new Registered(
            epoch, info.sessionId(), heartbeatInterval.toMillis(), heartbeatTimeout.toMillis()));
    LOG.info(
        "executor {} (pid {} on {}, {} cores) registered with driver epoch {} as session {}",
        info.executorId(),
        info.pid(),
        info.host(),
        info.cores(),
        epoch,
        info.sessionId());
    notifyListeners();
  }

  private void reject(Channel channel, Register request, String reason, boolean permanent) {
    LOG.warn("refused executor {}: {}", request.executorId(), reason);
    channel.writeAndFlush(new Rejected(reason, permanent));
  }

  private void heartbeat(Channel channel, Heartbeat heartbeat) {
    String fenced = null;
    synchronized (this) {
      Member member = members.get(heartbeat.executorId());
      if (heartbeat.driverEpoch() != epoch) {
        fenced =
            "session "
                + heartbeat.sessionId()
                + " belongs to driver epoch "
                + heartbeat.driverEpoch()
                + ", but this driver is epoch "
                + epoch;
      } else if (member == null || member.info().sessionId() != heartbeat.sessionId()) {
        fenced =
            "session "
                + heartbeat.sessionId()
                + " of executor "
                + heartbeat.executorId()
                + " is over (declared lost or registered again)";
      } else {
        members.put(
            heartbeat.executorId(),
            new Member(
                member
                    .info()
                    .heartbeatAt(
                        clock.instant(), heartbeat.heapUsedBytes(), heartbeat.heapMaxBytes()),
                member.channel()));
      }
      if (fenced != null) {
        // Queued before the executor hears Lost, so before it can register again.
        String reason = fenced;
        notices.add(l -> l.messageFenced(heartbeat.executorId(), heartbeat.sessionId(), reason));
      }
    }
    if (fenced != null) {
      LOG.info("fenced a heartbeat: {}; told the executor to register again", fenced);
      notifyListeners();
      channel.writeAndFlush(new Lost(fenced + "; register again"));
      return;
    }
    channel.writeAndFlush(new HeartbeatAck(epoch, heartbeat.sequence()));
  }

  /**
   * Sends {@code message} to executor {@code executorId} if {@code sessionId} is still its session.
   *
   * @return false if the session is over, and nothing was sent
   */
  public boolean send(String executorId, long sessionId, Message message) {
    Channel channel;
    synchronized (this) {
      Member member = members.get(executorId);
      if (member == null || member.info().sessionId() != sessionId) {
        return false;
      }
      channel = member.channel();
    }
    channel.writeAndFlush(message);
    return true;
  }

  private void taskResult(Channel channel, TaskResult result) {
    String fenced = null;
    synchronized (this) {
      ExecutorInfo from = null;
      if (result.driverEpoch() == epoch) {
        for (Member member : members.values()) {
          if (member.info().sessionId() == result.sessionId() && member.channel() == channel) {
            from = member.info();
          }
        }
      }
      if (from != null) {
        ExecutorInfo executor = from;
        notices.add(l -> l.taskResult(executor, result));
      } else {
        fenced =
            "the result of task "
                + result.taskId()
                + " names session "
                + result.sessionId()
                + " of driver epoch "
                + result.driverEpoch()
                + ", which is over or not this driver's (epoch "
                + epoch
                + ")";
        String executorId = executorOn(channel);
        String reason = fenced;
        notices.add(l -> l.messageFenced(executorId, result.sessionId(), reason));
      }
    }
    notifyListeners();
    if (fenced != null) {
      LOG.info("fenced a task result: {}; told the executor to register again", fenced);
      channel.writeAndFlush(new Lost(fenced + "; register again"));
    }
  }

  // The channel names the executor even when the session its message names is over.
  private synchronized String executorOn(Channel channel) {
    for (Member member : members.values()) {
      if (member.channel() == channel) {
        return member.info().executorId();
      }
    }
    return "unregistered";
  }

  private void disconnected(Channel channel) {
    synchronized (this) {
      for (var it = members.values().iterator(); it.hasNext(); ) {
        Member member = it.next();
        if (member.channel() == channel) {
          it.remove();
          lost(member.info(), "its connection closed");
        }
      }
    }
    notifyListeners();
  }

  // Called with the lock held, where the session ends.
  private void lost(ExecutorInfo info, String reason) {
    LOG.info("executor {} session {} lost: {}", info.executorId(), info.sessionId(), reason);
    notices.add(l -> l.executorLost(info, reason));
  }

  /**
   * Hands the queued notices to the listeners, oldest first, one thread at a time: a thread that
   * finds another notifying waits and then delivers whatever is left, its own notice included.
   */
  private void notifyListeners() {
    notifying.lock();
    try {
      while (true) {
        Consumer<ExecutorListener> notice;
        synchronized (this) {
          notice = notices.poll();
        }
        if (notice == null) {
          return;
        }
        listeners.forEach(notice);
      }
    } finally {
      notifying.unlock();
    }
  }

  /** Stops listening and closes every executor's connection. */
  @Override
  public void close() {
    expiry.cancel(false);
    server.close().awaitUninterruptibly();
    synchronized (this) {
      members.clear();
    }
    connections.close().awaitUninterruptibly();
  }

  private final class Handler implements MessageHandler {
    @Override
    public void connected(Channel channel) {
      connections.add(channel);
    }

    @Override
    public void received(Channel channel, Message message) {
      if (message instanceof Register register) {
        register(channel, register);
      } else if (message instanceof Heartbeat heartbeat) {
        heartbeat(channel, heartbeat);
      } else if (message instanceof TaskResult result) {
        taskResult(channel, result);
      } else {
        LOG.warn(
            "closing the connection with {}: an executor does not send {}",
            channel.remoteAddress(),
            message.getClass().getSimpleName());
        channel.close();
      }
    }

    @Override
    public void disconnected(Channel channel) {
      ExecutorRegistry.this.disconnected(channel);
    }
  }
}
