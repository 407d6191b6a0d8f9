package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.backpressure.TokenBucket;
import dev.millrace.runtime.checkpoint.CheckpointException;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines of UTF-8 text read from a TCP server: {@code socketTextStream}.
 *
 * <p>{@link #start} starts one daemon receiver thread, {@code millrace-receiver-<streamName>}, that
 * connects to {@code host:port} and appends every line it reads to an in-memory buffer; each {@link
 * #take} hands over everything received since the previous one (up to the rate limit below), in
 * arrival order. A line ends at {@code '\n'}, and a {@code '\r'} before it is dropped.
 *
 * <p>The receiver never gives up on the server: when the server refuses the connection, closes it
 * or the connection fails, it logs one warning for the outage and reconnects, waiting 100 ms before
 * the first attempt and doubling the wait up to 2 s, until {@link #stop}. Lines the server sent but
 * the receiver had not read when a connection broke are lost; the receiver holds no acknowledgement
 * protocol with the server.
 *
 * <p>A line longer than {@link ReceiverSettings#maxLineBytes()} is skipped as it streams past,
 * never held in memory: dropping it costs one line, while failing the receiver would only reconnect
 * to a server that sends on after the line (or, resending it, would loop for ever); each drop is
 * counted in {@link #status()} and logged with a WARN naming the stream (the first at once, then at
 * most one summary a minute).
 *
 * <p>The receiver survives its own failures too: an unexpected error on its thread (anything but a
 * lost connection, e.g. an {@link OutOfMemoryError}) is logged with its stack trace and the thread
 * starts again after a backoff ({@link ReceiverRestarts}). When it fails more than {@link
 * ReceiverSettings#maxRestarts()} times within {@link ReceiverSettings#restartWindowMillis()}, the
 * next {@link #take} throws a {@link ReceiverFailedException} with the cause, which fails the batch
 * and stops the driver, so that its supervisor restarts it rather than a dead input passing for a
 * quiet one.
 *
 * <p>Rate: the receiver reads at most {@code maxRate} lines per second, and, under backpressure, no
 * faster than the latest {@link RateLimit}; when it is ahead it stops reading, so the socket's
 * buffers fill and TCP flow control slows the server down instead of the buffer growing. Under a
 * rate limit each batch takes at most {@link RateLimit#recordsPerBatch()} lines (whatever the
 * timing of the wall clock) and the rest wait, in order, for the next; a graceful stop's last batch
 * takes them all.
 *
 * <p>With checkpointing ({@link #useCheckpoint}), the receiver keeps a write-ahead log under the
 * checkpoint directory ({@code sources/<sourceId>/}, see {@link WalSegmentFormat}) and a line
 * reaches the buffer only once it is <em>acknowledged</em>: written to the log and flushed ({@code
 * hflush}), so that it survives the death of the driver process. Lines are logged in groups: a
 * group ends when the receiver would wait for the network, or at 4096 lines, 1 Mi characters or 10
 * ms, whichever comes first. A batch's plan is the range of sequence numbers it took, and its
 * replay re-reads that range from the log; after a crash, {@link #recover} hands the acknowledged
 * lines no batch had taken to the next batch, so each acknowledged line is processed exactly once.
 * When the log cannot be written, the receiver stops reading the socket and retries with the
 * reconnect backoff. Segments roll at 64 MiB and are deleted once a committed checkpoint is past
 * them ({@link #checkpointCommitted}). The log needs a file system that can flush an open file
 * (local, HDFS); on one that cannot ({@code s3a://}), {@link #start} and {@link #recover} throw
 * {@link WriteAheadLogUnsupportedException}, a configuration error.
 */
public final class SocketTextSource implements InputSource<String> {
  private static final Logger LOG = LoggerFactory.getLogger(SocketTextSource.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long STOP_JOIN_MILLIS = 5_000;
  static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  private static final int MAX_GROUP_LINES = 4096;
  private static final long MAX_GROUP_CHARS = 1L << 20;
  private static final long MAX_GROUP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long DROP_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String host;
  private final int port;
  private final int partitions;
  private final String streamName;
  private final long walSegmentBytes;
  private final ReceiverSettings settings;
  private final TokenBucket intake;
  private final ReceiverHealth health;
  private final ReceiverRestarts restarts;
  private volatile RateLimit rateLimit;
  private volatile ReceiverFailedException fatal;

  private WriteAheadLog log; // set by useCheckpoint, before start or recover
  // Created on the generator's thread before the receiver starts, then owned by the receiver.
  private WalWriter writer;
  // Receiver thread only: the sequence number after the last line handed to the buffer.
  private long publishedSeq;
  private long droppedSinceWarning;
  private long lastDropWarningNanos;

  // Generator thread only: the log position of the next take, and the latest take's range.
  private long nextTakeSeq;
  private Dataset<String> lastTaken;
  private WalRange lastTakenRange;

  private final Object bufferLock = new Object();
  private List<String> buffer = new ArrayList<>(); // guarded by bufferLock
  private final AtomicLong receivedLines = new AtomicLong();
  private final AtomicLong receivedBytes = new AtomicLong();
  private final AtomicLong droppedLines = new AtomicLong();

  private final Object connectionLock = new Object();
  private boolean stopped; // guarded by connectionLock
  private Socket socket; // guarded by connectionLock
  private Thread receiver; // guarded by connectionLock
  private final CountDownLatch stopSignal = new CountDownLatch(1);

  /**
   * A source reading from {@code host:port}, handing each batch over in {@code partitions} slices,
   * and naming its thread and log lines after {@code streamName}.
   */
  public SocketTextSource(String host, int port, int partitions, String streamName) {
    this(host, port, partitions, streamName, ReceiverSettings.defaults());
  }

  /**
   * A source as above whose receiver reads at most {@code maxRate} lines per second; {@link
   * Double#POSITIVE_INFINITY} for no fixed limit.
   */
  public SocketTextSource(
      String host, int port, int partitions, String streamName, double maxRate) {
    this(host, port, partitions, streamName, ReceiverSettings.defaults().withMaxRate(maxRate));
  }

  /** A source as above whose receiver follows {@code settings}. */
  public SocketTextSource(
      String host, int port, int partitions, String streamName, ReceiverSettings settings) {
    this(host, port, partitions, streamName, settings, DEFAULT_SEGMENT_BYTES);
  }

  /** As the public constructor, rolling write-ahead log segments at {@code walSegmentBytes}. */
  SocketTextSource(
      String host,
      int port,
      int partitions,
      String streamName,
      ReceiverSettings settings,
      long walSegmentBytes) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' needs a host name to connect to, got '"
              + host
              + "'");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' was given port "
              + port
              + " for host "
              + host
              + "; use the server's TCP port, 1 to 65535");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' needs at least 1 partition per batch, got "
              + partitions);
    }
    this.host = host;
    this.port = port;
    this.partitions = partitions;
    this.streamName = streamName;
    this.walSegmentBytes = walSegmentBytes;
    this.settings = settings;
    this.intake = new TokenBucket(settings.maxRate());
    this.health = new ReceiverHealth(host + ":" + port, System::currentTimeMillis);
    this.restarts = new ReceiverRestarts(settings.maxRestarts(), settings.restartWindowMillis());
  }

  /**
   * Keeps a write-ahead log of received lines in {@code store}'s directory for {@code sourceId}.
   *
   * @throws IllegalStateException if the source was already started
   */
  @Override
  public void useCheckpoint(CheckpointStore store, String sourceId) {
    synchronized (connectionLock) {
      if (receiver != null || stopped) {
        throw new IllegalStateException(
            "socket text stream '"
                + streamName
                + "' was given a checkpoint after it started; call useCheckpoint before start or"
                + " recover");
      }
    }
    log =
        new WriteAheadLog(
            store.fileSystem(), store.sourceLogDirectory(sourceId), streamName, walSegmentBytes);
  }

  /**
   * Starts the receiver thread, which connects in the background: a server that is not up yet is
   * retried, not an error.
   *
   * @throws IllegalStateException if the source was already started or stopped
   */
  @Override
  public void start(long firstBatchTime) {
    checkNotStarted();
    if (log != null) {
      long end = endOfEarlierLog();
      openWriter(end);
      nextTakeSeq = end;
      publishedSeq = end;
    }
    startReceiver();
  }

  private void checkNotStarted() {
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

  private void startReceiver() {
    synchronized (connectionLock) {
      checkNotStarted();
      receiver = new Thread(this::receive, "millrace-receiver-" + streamName);
      receiver.setDaemon(true);
      receiver.start();
    }
  }

  /**
   * Where a fresh start continues numbering: after whatever an earlier run left in the log, which
   * no batch of this run reads and the first checkpoint deletes.
   */
  private long endOfEarlierLog() {
    try {
      List<WriteAheadLog.Segment> segments = log.segments();
      if (segments.isEmpty()) {
        return 0;
      }
      WriteAheadLog.LogRead read =
          log.read(segments.get(segments.size() - 1).firstSeq(), Long.MAX_VALUE, (seq, line) -> {});
      read.damage()
          .ifPresent(
              d ->
                  LOG.warn(
                      "the write-ahead log of socket text stream '{}' left by an earlier run ends"
                          + " in a damaged block ({}); the new run does not read it",
                      streamName,
                      d.describe()));
      LOG.info(
          "socket text stream '{}' starts afresh: its write-ahead log {} holds {} records of an"
              + " earlier run that no batch will read; they are deleted after the first checkpoint",
          streamName,
          log.directory(),
          read.endSeq());
      return read.endSeq();
    } catch (IOException e) {
      throw logFailure("read", e);
    }
  }

  private void openWriter(long nextSeq) {
    WalWriter opened = new WalWriter(log, nextSeq);
    try {
      opened.open();
    } catch (IOException e) {
      throw logFailure("create a segment of", e);
    }
    writer = opened;
  }

  private CheckpointException logFailure(String action, IOException e) {
    return new CheckpointException(
        "socket text stream '"
            + streamName
            + "' could not "
            + action
            + " its write-ahead log "
            + log.directory()
            + ": "
            + e
            + ". Check that the checkpoint directory's file system is reachable and that this"
            + " process may read and write it.",
        e);
  }

  /**
   * Everything received since the previous call, in arrival order, cut into the configured number
   * of partitions. Never blocks on the network; after {@link #stop} it hands over what was received
   * before.
   */
  @Override
  public Dataset<String> take(long batchTime, boolean lastBatch) {
    ReceiverFailedException failure = fatal;
    if (failure != null && !lastBatch) {
      throw failure;
    }
    RateLimit limit = rateLimit;
    long most = lastBatch || limit == null ? Long.MAX_VALUE : limit.recordsPerBatch();
    List<String> lines;
    synchronized (bufferLock) {
      if (buffer.size() <= most) {
        lines = buffer;
        buffer = new ArrayList<>();
      } else {
        List<String> head = buffer.subList(0, (int) most);
        lines = new ArrayList<>(head);
        head.clear();
      }
    }
    Dataset<String> taken = ListDataset.sliced(lines, partitions);
    if (log != null) {
      // The buffer holds exactly the acknowledged records from nextTakeSeq on, in order.
      lastTakenRange = new WalRange(nextTakeSeq, nextTakeSeq + lines.size());
      nextTakeSeq = lastTakenRange.to();
      lastTaken = taken;
    }
    return taken;
  }

  /**
   * Closes the connection, which ends a blocked read, and waits up to 5 s for the receiver thread
   * to end. Calling it again does nothing.
   */
  @Override
  public void stop() {
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

  @Override
  public boolean hasBufferedInput() {
    synchronized (bufferLock) {
      return !buffer.isEmpty();
    }
  }

  /**
   * How many lines the receiver has read since {@link #start} or {@link #recover}, over all
   * connections; with a write-ahead log, how many it has acknowledged.
   */
  public long receivedLines() {
    return receivedLines.get();
  }

  /** The connection, errors and counts of this stream now; safe from any thread. */
  @Override
  public SourceStatus status() {
    return health.status(receivedLines.get(), receivedBytes.get(), droppedLines.get());
  }

  private void receive() {
    try {
      while (!receiveUntilStoppedOrFailed()) {
        // The receiver failed and its restart budget allows another attempt after the backoff.
      }
    } finally {
      closeWriter();
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
      return !restartAfter(e);
    }
  }

  /** Handles a failure of the receiver thread; true if it starts again after the backoff. */
  private boolean restartAfter(Throwable failure) {
    String error = failure.toString();
    if (writer != null) {
      // A block may have been cut short: the next append starts a new segment at the same number.
      writer.abandon();
      if (writer.nextSeq() != publishedSeq) {
        // Lines were acknowledged (logged) but never reached the buffer, so the buffer no longer
        // holds exactly the lines after nextTakeSeq: only a recovery from the log can restore it.
        return giveUp(
            failure,
            "it failed between logging "
                + (writer.nextSeq() - publishedSeq)
                + " received lines and handing them to batches, which only a restart can repair:"
                + " the restarted driver reads them back from the write-ahead log");
      }
    }
    OptionalLong delay = restarts.failed(System.currentTimeMillis());
    if (delay.isEmpty()) {
      return giveUp(
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

  private boolean giveUp(Throwable failure, String why) {
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
    if (writer == null) {
      Utf8LineReader reader = boundedReader(in);
      String line;
      while ((line = reader.readLine()) != null) {
        if (paceOrStop(null)) {
          return;
        }
        synchronized (bufferLock) {
          buffer.add(line);
        }
        receivedLines.incrementAndGet();
      }
      return;
    }
    LineGroup group = new LineGroup();
    Utf8LineReader reader = boundedReader(new FlushBeforeWait(in, () -> logAndPublish(group)));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (paceOrStop(group)) {
          return;
        }
        group.add(line);
        if (group.isFull()) {
          logAndPublish(group);
        }
      }
    } finally {
      logAndPublish(group);
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
  private void logAndPublish(LineGroup group) {
    if (group.lines.isEmpty()) {
      return;
    }
    List<String> lines = group.drain();
    if (!appendUntilLogged(lines)) {
      return;
    }
    synchronized (bufferLock) {
      buffer.addAll(lines);
    }
    publishedSeq = writer.nextSeq();
    receivedLines.addAndGet(lines.size());
  }

  /** Appends {@code lines} to the log, retrying until it works; false if stopped first. */
  private boolean appendUntilLogged(List<String> lines) {
    ReconnectBackoff backoff = new ReconnectBackoff();
    boolean failedBefore = false;
    while (true) {
      try {
        writer.append(lines);
        if (failedBefore) {
          health.recovered();
          LOG.info(
              "socket text stream '{}' writes its write-ahead log {} again",
              streamName,
              log.directory());
        }
        return true;
      } catch (IOException e) {
        writer.abandon();
        if (!failedBefore) {
          failedBefore = true;
          health.failing("cannot write the write-ahead log: " + e);
          LOG.warn(
              "socket text stream '{}' cannot write {} received lines to its write-ahead log {}"
                  + " ({}); it reads nothing more from {}:{} and no batch sees these lines until"
                  + " they are written, retrying every {} to {} ms",
              streamName,
              lines.size(),
              log.directory(),
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

  private void closeWriter() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      // Every acknowledged block was flushed before; closing adds nothing a reader needs.
      LOG.debug("closing the write-ahead log of socket text stream '{}' failed", streamName, e);
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
      logAndPublish(group);
    }
    return awaitStopNanos(waitNanos);
  }

  /** Paces the receiver to the limit (or the fixed maximum rate, if lower) from now on. */
  @Override
  public void updateRateLimit(RateLimit limit) {
    RateLimit effective = limit.atMost(settings.maxRate());
    rateLimit = effective;
    intake.setRate(effective.recordsPerSecond());
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

  /**
   * The range of log sequence numbers {@code taken} holds.
   *
   * @throws IllegalStateException without a write-ahead log, or for a dataset other than the latest
   *     take
   */
  @Override
  public byte[] encodePlan(Dataset<String> taken) {
    requireLog("encode a batch plan");
    if (taken != lastTaken) {
      throw new IllegalStateException(
          "socket text stream '" + streamName + "' can only encode the batch it took last");
    }
    return lastTakenRange.toBytes();
  }

  /**
   * The lines of the plan's range, read back from the write-ahead log.
   *
   * @throws CorruptWriteAheadLogException if the log no longer holds every line of the range
   * @throws IllegalArgumentException if the plan is not one this source wrote
   */
  @Override
  public Dataset<String> replay(long batchTime, byte[] plan) {
    requireLog("replay a batch");
    WalRange range = decode(() -> WalRange.fromBytes(plan), "recorded plan of batch " + batchTime);
    List<String> lines = new ArrayList<>((int) Math.min(range.size(), MAX_GROUP_LINES));
    WriteAheadLog.LogRead read;
    try {
      read = log.read(range.from(), range.to(), (seq, line) -> lines.add(line));
    } catch (IOException e) {
      throw logFailure("read", e);
    }
    if (read.endSeq() < range.to()) {
      throw lost("batch " + batchTime + " took", range.from(), range.to(), read);
    }
    return ListDataset.sliced(lines, partitions);
  }

  /** The log position of the next take. */
  @Override
  public byte[] snapshot() {
    requireLog("take a snapshot");
    return WalRange.positionBytes(nextTakeSeq);
  }

  /**
   * Positions the next take after the snapshot and the plans, buffers the acknowledged lines the
   * log holds beyond that (received before the crash, taken by no batch) for it, and starts the
   * receiver on a new log segment. A torn last block, which the crash cut short and so was never
   * acknowledged, is skipped with a warning.
   *
   * @throws CorruptWriteAheadLogException if the log lacks acknowledged lines or is damaged
   * @throws IllegalArgumentException if the snapshot or a plan is not one this source wrote
   */
  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {
    requireLog("recover");
    checkNotStarted();
    long position = decode(() -> WalRange.position(snapshot), "checkpointed position");
    for (byte[] plan : plansSince) {
      position = Math.max(position, decode(() -> WalRange.fromBytes(plan), "recorded plan").to());
    }
    List<String> unplanned = new ArrayList<>();
    WriteAheadLog.LogRead read;
    try {
      read = log.read(position, Long.MAX_VALUE, (seq, line) -> unplanned.add(line));
    } catch (IOException e) {
      throw logFailure("read", e);
    }
    if (read.endSeq() < position) {
      throw lost("the checkpoint and batch plans took", read.endSeq(), position, read);
    }
    if (read.damage().isPresent()) {
      WriteAheadLog.Damage damage = read.damage().get();
      if (!damage.torn() || !damage.newestSegment()) {
        throw lost("the receiver acknowledged", read.endSeq(), Long.MAX_VALUE, read);
      }
      LOG.warn(
          "the write-ahead log of socket text stream '{}' ends in a block the crash cut short ({});"
              + " its lines were never acknowledged and are skipped",
          streamName,
          damage.describe());
    }
    synchronized (bufferLock) {
      buffer = unplanned;
    }
    nextTakeSeq = position;
    openWriter(read.endSeq());
    publishedSeq = read.endSeq();
    LOG.info(
        "socket text stream '{}' recovered its write-ahead log {}: batch {} takes from record {},"
            + " starting with {} lines received before the restart",
        streamName,
        log.directory(),
        nextBatchTime,
        position,
        unplanned.size());
    startReceiver();
  }

  /**
   * The records of the write-ahead log between the range the batch before them took (or the
   * snapshot's position) and the range of the batch after them: exactly what they had taken, since
   * batches take consecutive ranges.
   */
  @Override
  public SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    requireLog("skip a batch");
    Map.Entry<Long, byte[]> before = plansSince.lowerEntry(firstTime);
    long from =
        before == null
            ? decode(() -> WalRange.position(snapshot), "checkpointed position")
            : decode(() -> WalRange.fromBytes(before.getValue()), "recorded plan").to();
    Map.Entry<Long, byte[]> after = plansSince.higherEntry(lastTime);
    if (after == null) {
      return new SkippedInput(
          new WalRange(from, from).toBytes(),
          "nothing: the lines they had taken, from record "
              + from
              + " of the write-ahead log on, are taken again by the batches planned in their place",
          SkippedInput.Extent.NOTHING);
    }
    WalRange range =
        new WalRange(
            from, decode(() -> WalRange.fromBytes(after.getValue()), "recorded plan").from());
    if (range.size() == 0) {
      return new SkippedInput(
          range.toBytes(), "nothing: they had taken no line", SkippedInput.Extent.NOTHING);
    }
    return new SkippedInput(
        range.toBytes(),
        range.size()
            + (range.size() == 1 ? " line" : " lines")
            + " (records "
            + range.from()
            + " to "
            + (range.to() - 1)
            + " of the write-ahead log "
            + log.directory()
            + ")",
        SkippedInput.Extent.EXACT);
  }

  /** Deletes the log segments that hold only lines before {@code snapshot}'s position. */
  @Override
  public void checkpointCommitted(long batchTime, byte[] snapshot) {
    if (log == null) {
      return;
    }
    long position = decode(() -> WalRange.position(snapshot), "committed position");
    try {
      int deleted = log.deleteBefore(position);
      LOG.debug(
          "socket text stream '{}' deleted {} write-ahead log segments before record {}",
          streamName,
          deleted,
          position);
    } catch (IOException e) {
      LOG.warn(
          "socket text stream '{}' could not delete old segments of its write-ahead log {} ({});"
              + " will retry after the next checkpoint",
          streamName,
          log.directory(),
          e.toString());
    }
  }

  private void requireLog(String action) {
    if (log == null) {
      throw new IllegalStateException(
          "socket text stream '"
              + streamName
              + "' keeps no write-ahead log, so it cannot "
              + action
              + "; call useCheckpoint before start so that received lines are logged");
    }
  }

  private <V> V decode(Supplier<V> decoder, String what) {
    try {
      return decoder.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " of socket text stream '"
              + streamName
              + "' cannot be read as a write-ahead log position or range ("
              + e.getMessage()
              + "); was the checkpoint written for another graph?",
          e);
    }
  }

  private CorruptWriteAheadLogException lost(
      String whoHadThem, long from, long to, WriteAheadLog.LogRead read) {
    String where =
        read.damage()
            .map(WriteAheadLog.Damage::describe)
            .orElse("the newest segment ends at record " + read.endSeq());
    return new CorruptWriteAheadLogException(
        "The write-ahead log "
            + log.directory()
            + " of socket text stream '"
            + streamName
            + "' lacks records "
            + from
            + (to == Long.MAX_VALUE ? " on" : " to " + (to - 1))
            + ", which "
            + whoHadThem
            + ": "
            + where
            + ". The segment was damaged or deleted after it was written. Restore the checkpoint"
            + " directory from a backup, or truncate the segment before the damaged block to"
            + " accept losing those lines, or start from an empty checkpoint directory (the"
            + " application's state is then lost).");
  }
}
