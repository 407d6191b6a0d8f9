package dev.millrace.streaming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A receiver written as an application would, through the public API only, for a sender that waits
 * for acknowledgements (a message bus's shape): its thread connects to {@code host:port}, reads
 * lines of comma-separated numbers, stores each line as one group and answers {@code ACK <count>}
 * once {@code store} has returned, which is when the records are in the write-ahead log. A lost
 * connection restarts the receiver.
 */
final class TestingAckingReceiver extends Receiver<Long> {
  private final String host;
  private final int port;
  private volatile Socket socket;

  TestingAckingReceiver(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public String name() {
    return "acking";
  }

  @Override
  protected void onStart() {
    Thread receiving = new Thread(this::receive, "acking-receiver");
    receiving.setDaemon(true);
    receiving.start();
  }

  @Override
  protected void onStop() {
    Socket open = socket;
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        // Closing only ends the receiving thread's read.
      }
    }
  }

  private void receive() {
    try (Socket s = new Socket()) {
      socket = s;
      s.connect(new InetSocketAddress(host, port), 5_000);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      String line;
      while (!isStopped() && (line = in.readLine()) != null) {
        List<Long> group = new ArrayList<>();
        for (String n : line.split(",")) {
          group.add(Long.parseLong(n));
        }
        store(group);
        out.write(("ACK " + group.size() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      if (!isStopped()) {
        restart("the sender closed the connection");
      }
    } catch (IOException e) {
      if (!isStopped()) {
        restart("the connection to the sender failed", e);
      }
    }
  }
}
