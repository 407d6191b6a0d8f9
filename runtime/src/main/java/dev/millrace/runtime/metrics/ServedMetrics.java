package dev.millrace.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A process's metrics as Prometheus scrapes them: the driver's ({@link DriverMetrics}) and an
 * executor's ({@link ExecutorMetrics}), answered the same way by their HTTP endpoints.
 */
public interface ServedMetrics {

  /**
   * Every metric as it is now, those without a sample yet too (the text format leaves them out):
   * for a caller that reads the metrics rather than serving them, such as a check that a dashboard
   * asks only for metrics that exist.
   */
  MetricSnapshots snapshot();

  /** Writes every metric as it is now in the Prometheus text format. */
  default void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, snapshot());
  }

  /** Answers a scrape on {@code exchange}: 200 and every metric in the Prometheus text format. */
  default void answer(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    write(text);
    exchange
        .getResponseHeaders()
        .set("Content-Type", PrometheusTextFormatWriter.create().getContentType());
    exchange.sendResponseHeaders(200, text.size());
    try (OutputStream out = exchange.getResponseBody()) {
      text.writeTo(out);
    }
  }
}
