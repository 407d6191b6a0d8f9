package dev.millrace.runtime.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver of a socket text stream, run by the stream's {@link ReceiverInput} like any
 * receiver: {@link #onStart} starts one daemon thread, {@code millrace-receiver-<streamName>}, that
 * connects to the server, reconnects with a backoff, paces its reads to the rate, skips lines over
 * the length bound, and stores every line it reads; {@link #onStop} closes the connection and waits
 * for the thread. An unexpected failure on the thread (anything but a lost connection) goes to the
 * input's {@link ReceiverInput#restart restart}, which stops and starts the receiver again within
 * the restart budget.
 *
 * <p>Its stores are the input's, without a hop a line: with a write-ahead log, lines are stored in
 * groups ({@link ReceiverInput#storePaced}), one log block each, a group ending when the receiver
 * would wait for the network, or at {@value #MAX_GROUP_LINES} lines, 1 Mi characters or 10 ms;
 * without one, a line at a time ({@link ReceiverInput#storeUnlogged}). Each line is paced as it is
 * read ({@link ReceiverInput#acquire}), so a receiver ahead of its rate stops reading the socket.
 */
final class SocketReceiver implements ReceiverLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(SocketTextSource.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long STOP_JOIN_MILLIS = 5_000;
  static final int MAX_GROUP_LINES = 4096;
  private static final long MAX_GROUP_CHARS = 1L << 20;
  private static final long MAX_GROUP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long DROP_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String host;
  private final int port;
  private final String streamName;
  private final ReceiverSettings settings;
  private final ReceiverHealth health;
  private ReceiverInput<String> input; // bound once, before the input starts

  // The receiver thread of the time (one at a time: onStop waits for it before a restart).
  private long droppedSinceWarning;
  private long lastDropWarningNanos;

  private final AtomicLong receivedBytes = new AtomicLong();
  private final AtomicLong droppedLines = new AtomicLong();

  private final Object connectionLock = new Object();
  private Socket socket; // guarded by connectionLock
  private Thread receiver; // guarded by connectionLock
  private CountDownLatch stopSignal; // guarded by connectionLock: the running thread's

  /** A receiver of {@code host:port}; {@code health} is the stream's, shared with the source. */
  SocketReceiver(
      String host, int port, String streamName, ReceiverSettings settings, ReceiverHealth health) {
    this.host = host;
    this.port = port;
    this.streamName = streamName;
    this.settings = settings;
    this.health = health;
  }

  /** Binds the input that runs this receiver and takes its lines; once, before it starts. */
  void bind(ReceiverInput<String> runningInput) {
    this.input = runningInput;
  }

  @Override
  public String name() {
    return streamName;
  }

  /** The bytes read from the server and the lines dropped as too long, over all connections. */
  long receivedBytes() {
    return receivedBytes.get();
  }

  long droppedLines() {
    return droppedLines.get();
  }

  /**
   * Starts the receiver thread, which connects in the background: a server that is not up yet is
   * retried, not an error.
   */
  @Override
  public void onStart() {
    synchronized (connectionLock) {
      CountDownLatch signal = new CountDownLatch(1);
      stopSignal = signal;
      receiver = new Thread(() -> receive(signal), "millrace-receiver-" + streamName);
      receiver.setDaemon(true);
      receiver.start();
    }
  }

  /**
   * Closes the connection, which ends a blocked read, and waits up to 5 s for the receiver thread
   * to end.
   */
  @Override
  public void onStop() {
    Thread thread;
    synchronized (connectionLock) {
      if (stopSignal != null) {
        stopSignal.countDown();
      }
      closeQuietly(socket);
      thread = receiver;
    }
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(STOP_JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn(
          "receiver of socket text stream '{}' ({}:{}) did not end within {} ms of stop; it is a"
              + " daemon thread and will not keep the process alive",
          streamName,
          host,
          port,
          STOP_JOIN_MILLIS);
    }
  }

  /**
   * The receiver thread: receives until stopped, or until an unexpected error, which it hands to
   * the input's restart (the input logs it, and starts the receiver again or gives up).
   */
  private void receive(CountDownLatch signal) {
    try {
      receiveUntilStopped(signal);
    } catch (RuntimeException | Error e) {
      if (signal.getCount() != 0 && !input.isStopped()) {
        input.restart("the receiver of " + host + ":" + port + " failed", e);
      }
    }
  }

  private void receiveUntilStopped(CountDownLatch signal) {
    ReconnectBackoff backoff = new ReconnectBackoff();
    boolean inOutage = false;
    while (true) {
      Socket connection = new Socket();
      synchronized (connectionLock) {
        if (signal.getCount() == 0) {
          return;
        }
        socket = connection;
      }
      String failure;
      try (connection) {
        connection.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        backoff.reset();
        health.connected();
        LOG.info(
            inOutage
                ? "socket text stream '{}' reconnected to {}:{}"
                : "socket text stream '{}' connected to {}:{}",
            streamName,
            host,
            port);
        inOutage = false;
        readLines(connection.getInputStream(), signal);
        failure = "the server closed the connection";
      } catch (IOException e) {
        failure = e.toString();
      }
      if (signal.getCount() == 0) {
        return;
      }
      health.disconnected(failure);
      if (!inOutage) {
        inOutage = true;
        LOG.warn(
            "socket text stream '{}' has no connection to {}:{} ({}); retrying every {} to {} ms"
                + " until the server is back",
            streamName,
            host,
            port,
            failure,
            ReconnectBackoff.INITIAL_DELAY_MILLIS,
            ReconnectBackoff.MAX_DELAY_MILLIS);
      }
      if (awaitStop(signal, TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMillis()))) {
        return;
      }
    }
  }

  private void readLines(InputStream socketIn, CountDownLatch signal) throws IOException {
    InputStream in = new Counted(socketIn, receivedBytes);
    if (!input.logged()) {
      Utf8LineReader reader = boundedReader(in);
      String line;
      while ((line = reader.readLine()) != null) {
        if (paceOrStop(null, signal)) {
          return;
        }
        input.storeUnlogged(line);
      }
      return;
    }
    LineGroup group = new LineGroup();
    Utf8LineReader reader = boundedReader(new FlushBeforeWait(in, () -> store(group)));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (paceOrStop(group, signal)) {
          return;
        }
        group.add(line);
        if (group.isFull()) {
          store(group);
        }
      }
    } finally {
      store(group);
    }
  }

  private Utf8LineReader boundedReader(InputStream in) {
    return new Utf8LineReader(in, 0, settings.maxLineBytes(), this::dropped);
  }

  /** A line of {@code length} bytes was longer than the bound and skipped. */
  private void dropped(long length) {
    droppedLines.incrementAndGet();
    droppedSinceWarning++;
    long now = System.nanoTime();
    boolean first = lastDropWarningNanos == 0;
    if (first || now - lastDropWarningNanos >= DROP_WARNING_INTERVAL_NANOS) {
      LOG.warn(
          "socket text stream '{}' ({}:{}) dropped {} {} longer than millrace.receiver.max-line-bytes"
              + "={} bytes (the {} was {} bytes){}; raise the setting if such lines are expected,"
              + " or fix the sender",
          streamName,
          host,
          port,
          droppedSinceWarning,
          droppedSinceWarning == 1 ? "line" : "lines",
          settings.maxLineBytes(),
          first ? "line" : "last",
          length,
          first ? "" : " since the previous warning");
      lastDropWarningNanos = now == 0 ? 1 : now;
      droppedSinceWarning = 0;
    }
  }

  /** Counts the bytes read from the connection. */
  private static final class Counted extends FilterInputStream {
    private final AtomicLong bytes;

    Counted(InputStream in, AtomicLong bytes) {
      super(in);
      this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        bytes.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        bytes.addAndGet(n);
      }
      return n;
    }
  }

  /** Acknowledges the group's lines (logs them) and hands them to the next take. */
  private void store(LineGroup group) {
    if (group.lines.isEmpty()) {
      return;
    }
    input.storePaced(group.drain());
  }

  /**
   * Received lines not yet logged: a group ends at {@link #MAX_GROUP_LINES}, {@link
   * #MAX_GROUP_CHARS} or {@link #MAX_GROUP_NANOS} after its first line. Receiver thread only.
   */
  private static final class LineGroup {
    private List<String> lines = new ArrayList<>();
    private long chars;
    private long startNanos;

    void add(String line) {
      if (lines.isEmpty()) {
        startNanos = System.nanoTime();
      }
      lines.add(line);
      chars += line.length();
    }

    boolean isFull() {
      return lines.size() >= MAX_GROUP_LINES
          || chars >= MAX_GROUP_CHARS
          || System.nanoTime() - startNanos >= MAX_GROUP_NANOS;
    }

    List<String> drain() {
      List<String> drained = lines;
      lines = new ArrayList<>();
      chars = 0;
      return drained;
    }
  }

  /**
   * Runs {@code beforeWait} before a read that would block on the network, so that lines already
   * received are acknowledged now rather than when more arrive.
   */
  private static final class FlushBeforeWait extends FilterInputStream {
    private final Runnable beforeWait;

    FlushBeforeWait(InputStream in, Runnable beforeWait) {
      super(in);
      this.beforeWait = beforeWait;
    }

    @Override
    public int read() throws IOException {
      if (in.available() == 0) {
        beforeWait.run();
      }
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (in.available() == 0) {
        beforeWait.run();
      }
      return in.read(b, off, len);
    }
  }

  /**
   * Waits while the receiver is ahead of its rate, first acknowledging {@code group} (if any) so
   * lines already read are not held back by the wait; true if stopped meanwhile.
   */
  private boolean paceOrStop(LineGroup group, CountDownLatch signal) {
    long waitNanos = input.acquire(System.nanoTime());
    if (waitNanos <= 0) {
      return false;
    }
    if (group != null) {
      store(group);
    }
    return awaitStop(signal, waitNanos);
  }

  private static boolean awaitStop(CountDownLatch signal, long nanos) {
    try {
      return signal.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Nobody but onStop has a reason to interrupt this thread; treat it as one.
      return true;
    }
  }

  private static void closeQuietly(Socket s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (IOException e) {
      // Closing is how stop() unblocks the reader; a failure to close cannot be acted on.
    }
  }
}
