package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.backpressure.TokenBucket;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
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
 * Lines of UTF-8 text read from a TCP server: {@code socketTextStream}.
 *
 * <p>{@link #start} starts one daemon receiver thread, {@code millrace-receiver-<streamName>}, that
 * connects to {@code host:port} and appends every line it reads to an in-memory buffer; each {@link
 * #take} hands over everything received since the previous one (up to the rate limit below), in
 * arrival order. A line ends at {@code '\n'}, and a {@code '\r'} before it is dropped.
 *
 * <p>The receiver never gives up: when the server refuses the connection, closes it or the
 * connection fails, it logs one warning for the outage and reconnects, waiting 100 ms before the
 * first attempt and doubling the wait up to 2 s, until {@link #stop}. Lines the server sent but the
 * receiver had not read when a connection broke are lost; the receiver holds no acknowledgement
 * protocol with the server.
 *
 * <p>Rate: the receiver reads at most {@code maxRate} lines per second, and, under backpressure, no
 * faster than the latest {@link RateLimit}; when it is ahead it stops reading, so the socket's
 * buffers fill and TCP flow control slows the server down instead of the buffer growing. Under a
 * rate limit each batch takes at most {@link RateLimit#recordsPerBatch()} lines (whatever the
 * timing of the wall clock) and the rest wait, in order, for the next; a graceful stop's last batch
 * takes them all.
 */
public final class SocketTextSource implements InputSource<String> {
  private static final Logger LOG = LoggerFactory.getLogger(SocketTextSource.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long STOP_JOIN_MILLIS = 5_000;

  private final String host;
  private final int port;
  private final int partitions;
  private final String streamName;
  private final double maxRate;
  private final TokenBucket intake;
  private volatile RateLimit rateLimit;

  private final Object bufferLock = new Object();
  private List<String> buffer = new ArrayList<>(); // guarded by bufferLock
  private final AtomicLong receivedLines = new AtomicLong();

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
    this(host, port, partitions, streamName, Double.POSITIVE_INFINITY);
  }

  /**
   * A source as above whose receiver reads at most {@code maxRate} lines per second; {@link
   * Double#POSITIVE_INFINITY} for no fixed limit.
   */
  public SocketTextSource(
      String host, int port, int partitions, String streamName, double maxRate) {
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
    if (!(maxRate > 0)) {
      throw new IllegalArgumentException(
          "socket text stream '"
              + streamName
              + "' was given a maximum rate of "
              + maxRate
              + " lines per second; use a positive rate, or leave millrace.receiver.max-rate unset"
              + " for no limit");
    }
    this.maxRate = maxRate;
    this.intake = new TokenBucket(maxRate);
  }

  /**
   * Starts the receiver thread, which connects in the background: a server that is not up yet is
   * retried, not an error.
   *
   * @throws IllegalStateException if the source was already started or stopped
   */
  @Override
  public void start(long firstBatchTime) {
    synchronized (connectionLock) {
      if (receiver != null || stopped) {
        throw new IllegalStateException(
            "socket text stream '"
                + streamName
                + "' was already "
                + (stopped ? "stopped" : "started")
                + "; a source is started once, create a new one to read again");
      }
      receiver = new Thread(this::receive, "millrace-receiver-" + streamName);
      receiver.setDaemon(true);
      receiver.start();
    }
  }

  /**
   * Everything received since the previous call, in arrival order, cut into the configured number
   * of partitions; under a rate limit, only its first {@link RateLimit#recordsPerBatch()} lines.
   * Never blocks on the network; after {@link #stop} it hands over what was received before.
   */
  @Override
  public Dataset<String> take(long batchTime, boolean lastBatch) {
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
    return ListDataset.sliced(lines, partitions);
  }

  /** Paces the receiver to the limit (or the fixed maximum rate, if lower) from now on. */
  @Override
  public void updateRateLimit(RateLimit limit) {
    RateLimit effective = limit.atMost(maxRate);
    rateLimit = effective;
    intake.setRate(effective.recordsPerSecond());
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

  /** How many lines the receiver has read since {@link #start}, over all connections. */
  public long receivedLines() {
    return receivedLines.get();
  }

  private void receive() {
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

  private void readLines(InputStream in) throws IOException {
    Utf8LineReader reader = new Utf8LineReader(in, 0);
    String line;
    while ((line = reader.readLine()) != null) {
      long waitNanos = intake.acquire(System.nanoTime());
      if (waitNanos > 0 && awaitStopNanos(waitNanos)) {
        return;
      }
      synchronized (bufferLock) {
        buffer.add(line);
      }
      receivedLines.incrementAndGet();
    }
  }

  private boolean isStopped() {
    synchronized (connectionLock) {
      return stopped;
    }
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

  @Override
  public byte[] encodePlan(Dataset<String> taken) {
    throw notRecoverable();
  }

  @Override
  public Dataset<String> replay(long batchTime, byte[] plan) {
    throw notRecoverable();
  }

  @Override
  public byte[] snapshot() {
    throw notRecoverable();
  }

  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {
    throw notRecoverable();
  }

  private static UnsupportedOperationException notRecoverable() {
    return new UnsupportedOperationException("socket text stream cannot be checkpointed yet");
  }
}
