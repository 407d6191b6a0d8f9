package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.TokenBucket;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver of a socket text stream: one daemon thread, {@code millrace-receiver-<streamName>},
 * that connects to the server, reconnects with a backoff, paces its reads to the rate, skips lines
 * over the length bound, starts again after its own failures, and {@link #store stores} every line
 * it reads (through the {@link ReceivedRecordLog write-ahead log}, when there is one) in the {@link
 * ReceivedRecordLedger<String> ledger} that batches take from.
 *
 * <p>Its shape is that of a Spark custom receiver, which the public receiver API will take: {@link
 * #onStart} and {@link #onStop}, {@code store}, {@link #restart} after a failure, and {@link
 * #reportError} for a failure it cannot recover from in place.
 */
final class SocketReceiver {
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
  private final TokenBucket intake;
  private final ReceiverHealth health;
  private final ReceiverRestarts restarts;
  private final ReceivedRecordLedger<String> ledger;
  private final ReceivedRecordLog<String> wal; // null without a checkpoint
  private volatile ReceiverFailedException fatal;

  // Receiver thread only.
  private long droppedSinceWarning;
  private long lastDropWarningNanos;

  private final AtomicLong receivedBytes = new AtomicLong();
  private final AtomicLong droppedLines = new AtomicLong();

  private final Object connectionLock = new Object();
  private boolean stopped; // guarded by connectionLock
  private Socket socket; // guarded by connectionLock
  private Thread receiver; // guarded by connectionLock
  private final CountDownLatch stopSignal = new CountDownLatch(1);

  /**
   * A receiver of {@code host:port} storing into {@code ledger}; {@code health} is the stream's,
   * shared with the source.
   */
  SocketReceiver(
      String host,
      int port,
      String streamName,
      ReceiverSettings settings,
      ReceiverHealth health,
      ReceivedRecordLedger<String> ledger,
      ReceivedRecordLog<String> wal) {
    this.host = host;
    this.port = port;
    this.streamName = streamName;
    this.settings = settings;
    this.intake = new TokenBucket(settings.maxRate());
    this.health = health;
    this.restarts = new ReceiverRestarts(settings.maxRestarts(), settings.restartWindowMillis());
    this.ledger = ledger;
    this.wal = wal;
  }

  /** Whether {@link #onStart} or {@link #onStop} was called. */
  boolean startedOrStopped() {
    synchronized (connectionLock) {
      return receiver != null || stopped;
    }
  }

  /** The failure that ended the receiver for good, or null while it runs or restarts. */
  ReceiverFailedException failure() {
    return fatal;
  }

  /** The bytes read from the server and the lines dropped as too long, over all connections. */
  long receivedBytes() {
    return receivedBytes.get();
  }

  long droppedLines() {
    return droppedLines.get();
  }

  /** Paces reads to {@code recordsPerSecond} from now on. */
  void setRate(double recordsPerSecond) {
    intake.setRate(recordsPerSecond);
  }

  /**
   * Starts the receiver thread, which connects in the background: a server that is not up yet is
   * retried, not an error.
   *
   * @throws IllegalStateException if the receiver was already started or stopped
   */
  void onStart() {
    synchronized (connectionLock) {
      checkNotStarted();
      receiver = new Thread(this::receive, "millrace-receiver-" + streamName);
      receiver.setDaemon(true);
      receiver.start();
    }
  }

  /** Refuses a second start, or a start after a stop, naming the stream. */
  void checkNotStarted() {
    synchronized (connectionLock) {
      if (receiver != null || stopped) {
        throw new IllegalStateException(
            "socket text stream '"
                + streamName
                + "' was already "
                + (stopped ? "stopped" : "started")
                + "; a source is started once, create a new one to read again");
      }
    }
  }

  /**
   * Closes the connection, which ends a blocked read, and waits up to 5 s for the receiver thread
   * to end. Calling it again does nothing.
   */
  void onStop() {
    Thread thread;
    synchronized (connectionLock) {
      if (stopped) {
        return;
      }
      stopped = true;
      closeQuietly(socket);
      thread = receiver;
    }
    stopSignal.countDown();
    if (thread == null) {
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

  private void receive() {
    try {
      while (!receiveUntilStoppedOrFailed()) {
        // The receiver failed and its restart budget allows another attempt after the backoff.
      }
    } finally {
      if (wal != null) {
        wal.closeWriter();
      }
    }
  }

  /**
   * Receives until stopped (true), or until an unexpected error on this thread: then false if the
   * receiver is to start again, and true, with {@link #fatal} set for the next take, if it has
   * failed too often or cannot go on in place.
   */
  private boolean receiveUntilStoppedOrFailed() {
    try {
      receiveUntilStopped();
      return true;
    } catch (RuntimeException | Error e) {
      if (isStopped()) {
        return true;
      }
      return !restart(e);
    }
  }

  /** Handles a failure of the receiver thread; true if it starts again after the backoff. */
  private boolean restart(Throwable failure) {
    String error = failure.toString();
    if (wal != null) {
      // A block may have been cut short: the next append starts a new segment at the same number.
      wal.abandonBlock();
      if (wal.unpublishedRecords() != 0) {
        // Lines were acknowledged (logged) but never reached the buffer, so the buffer no longer
        // holds exactly the lines after nextTakeSeq: only a recovery from the log can restore it.
        return reportError(
            failure,
            "it failed between logging "
                + wal.unpublishedRecords()
                + " received lines and handing them to batches, which only a restart can repair:"
                + " the restarted driver reads them back from the write-ahead log");
      }
    }
    OptionalLong delay = restarts.failed(System.currentTimeMillis());
    if (delay.isEmpty()) {
      return reportError(
          failure,
          "it failed "
              + restarts.failuresInWindow()
              + " times within "
              + restarts.windowMillis()
              + " ms, more than millrace.receiver.max-restarts="
              + restarts.maxRestarts()
              + " allows");
    }
    health.receiverRestarting(error);
    LOG.error(
        "the receiver of socket text stream '{}' ({}:{}) failed; starting it again in {} ms"
            + " (failure {} within {} ms, at most {} restarts)",
        streamName,
        host,
        port,
        delay.getAsLong(),
        restarts.failuresInWindow(),
        restarts.windowMillis(),
        restarts.maxRestarts(),
        failure);
    return !awaitStop(delay.getAsLong());
  }

  private boolean reportError(Throwable failure, String why) {
    health.failing(failure.toString());
    fatal =
        new ReceiverFailedException(
            "the receiver of socket text stream '"
                + streamName
                + "' ("
                + host
                + ":"
                + port
                + ") stopped: "
                + why
                + "; last error: "
                + failure
                + ". The driver stops so that its supervisor restarts it from the checkpoint. If"
                + " this repeats, the error above says what to fix (an OutOfMemoryError: give the"
                + " driver more memory or lower millrace.receiver.max-line-bytes and"
                + " millrace.receiver.max-rate)",
            failure);
    LOG.error("{}", fatal.getMessage(), failure);
    return false;
  }

  private void receiveUntilStopped() {
    ReconnectBackoff backoff = new ReconnectBackoff();
    boolean inOutage = false;
    while (true) {
      Socket connection = new Socket();
      synchronized (connectionLock) {
        if (stopped) {
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
        readLines(connection.getInputStream());
        failure = "the server closed the connection";
      } catch (IOException e) {
        failure = e.toString();
      }
      if (isStopped()) {
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
      if (awaitStop(backoff.nextDelayMillis())) {
        return;
      }
    }
  }

  private void readLines(InputStream socketIn) throws IOException {
    InputStream in = new Counted(socketIn, receivedBytes);
    if (wal == null) {
      Utf8LineReader reader = boundedReader(in);
      String line;
      while ((line = reader.readLine()) != null) {
        if (paceOrStop(null)) {
          return;
        }
        ledger.store(line);
      }
      return;
    }
    LineGroup group = new LineGroup();
    Utf8LineReader reader = boundedReader(new FlushBeforeWait(in, () -> store(group)));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (paceOrStop(group)) {
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
    List<String> lines = group.drain();
    if (!appendUntilLogged(lines)) {
      return;
    }
    ledger.storeAll(lines);
    wal.published();
  }

  /** Appends {@code lines} to the log, retrying until it works; false if stopped first. */
  private boolean appendUntilLogged(List<String> lines) {
    ReconnectBackoff backoff = new ReconnectBackoff();
    boolean failedBefore = false;
    while (true) {
      try {
        wal.append(lines);
        if (failedBefore) {
          health.recovered();
          LOG.info(
              "socket text stream '{}' writes its write-ahead log {} again",
              streamName,
              wal.directory());
        }
        return true;
      } catch (IOException e) {
        wal.abandonBlock();
        if (!failedBefore) {
          failedBefore = true;
          health.failing("cannot write the write-ahead log: " + e);
          LOG.warn(
              "socket text stream '{}' cannot write {} received lines to its write-ahead log {}"
                  + " ({}); it reads nothing more from {}:{} and no batch sees these lines until"
                  + " they are written, retrying every {} to {} ms",
              streamName,
              lines.size(),
              wal.directory(),
              e.toString(),
              host,
              port,
              ReconnectBackoff.INITIAL_DELAY_MILLIS,
              ReconnectBackoff.MAX_DELAY_MILLIS);
        }
        if (awaitStop(backoff.nextDelayMillis())) {
          LOG.warn(
              "socket text stream '{}' stopped before {} received lines could be written to its"
                  + " write-ahead log; they were never acknowledged and are dropped",
              streamName,
              lines.size());
          return false;
        }
      }
    }
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

  private boolean isStopped() {
    synchronized (connectionLock) {
      return stopped;
    }
  }

  /**
   * Waits while the receiver is ahead of its rate, first acknowledging {@code group} (if any) so
   * lines already read are not held back by the wait; true if stopped meanwhile.
   */
  private boolean paceOrStop(LineGroup group) {
    long waitNanos = intake.acquire(System.nanoTime());
    if (waitNanos <= 0) {
      return false;
    }
    if (group != null) {
      store(group);
    }
    return awaitStopNanos(waitNanos);
  }

  private boolean awaitStop(long millis) {
    return awaitStopNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private boolean awaitStopNanos(long nanos) {
    try {
      return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Nobody but stop() has a reason to interrupt this thread; treat it as one.
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
