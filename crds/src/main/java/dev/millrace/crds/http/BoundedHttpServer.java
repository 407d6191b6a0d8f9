package dev.millrace.crds.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's {@link HttpServer}, bounded so that a slow or hostile client cannot take it down: a
 * health probe, a status poll or a scrape keeps being answered while someone holds connections
 * open.
 *
 * <p>The JDK reads a request and runs its handler on the server's executor, so a client that sends
 * half a request holds a thread until it finishes. Here:
 *
 * <ul>
 *   <li>requests are read and answered on at most {@link #MAX_THREADS} threads; a connection that
 *       finds them all busy is closed at once (the client sees a reset and may retry) rather than
 *       queued behind them, so the server never holds more;
 *   <li>a request must arrive whole within {@link #REQUEST_SECONDS} seconds and its answer be taken
 *       within {@link #RESPONSE_SECONDS}, or the connection is cut and its thread freed.
 * </ul>
 *
 * <p>The two times are the JDK's {@code sun.net.httpserver.maxReqTime} and {@code maxRspTime},
 * which it reads once per JVM, when the first server is made: this class sets them unless they were
 * given ({@code -Dsun.net.httpserver.maxReqTime=30} wins), so it must make the process's first
 * server.
 */
public final class BoundedHttpServer implements AutoCloseable {
  /** The most requests read or answered at a time. */
  public static final int MAX_THREADS = 16;

  /** How long a client has to send a whole request. */
  public static final long REQUEST_SECONDS = 10;

  /** How long a client has to take a whole answer. */
  public static final long RESPONSE_SECONDS = 60;

  private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
  private static final String MAX_RESPONSE_TIME = "sun.net.httpserver.maxRspTime";
  private static final long IDLE_THREAD_SECONDS = 30;

  static {
    if (System.getProperty(MAX_REQUEST_TIME) == null) {
      System.setProperty(MAX_REQUEST_TIME, String.valueOf(REQUEST_SECONDS));
    }
    if (System.getProperty(MAX_RESPONSE_TIME) == null) {
      System.setProperty(MAX_RESPONSE_TIME, String.valueOf(RESPONSE_SECONDS));
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor threads;

  private BoundedHttpServer(HttpServer server, ThreadPoolExecutor threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * A server bound to {@code address} (port 0 for a free one) whose threads are named {@code
   * threadName-1}, {@code -2}, …; add handlers with {@link #handle}, then {@link #start} it.
   *
   * @throws IOException if the address cannot be bound
   */
  public static BoundedHttpServer bind(InetSocketAddress address, String threadName)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger ids = new AtomicInteger();
    // No queue: a request waits for no other, and one that finds every thread busy is refused.
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            MAX_THREADS,
            MAX_THREADS,
            IDLE_THREAD_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, threadName + "-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    threads.allowCoreThreadTimeOut(true);
    server.setExecutor(threads);
    return new BoundedHttpServer(server, threads);
  }

  /** Answers requests for paths under {@code path} with {@code handler}. */
  public BoundedHttpServer handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
    return this;
  }

  /** Starts serving. */
  public BoundedHttpServer start() {
    server.start();
    return this;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address and port the server listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving at once: requests being answered are cut. */
  @Override
  public void close() {
    // Java 17's HttpServer waits out the whole delay given to stop() even when idle.
    server.stop(0);
    threads.shutdownNow();
  }
}
