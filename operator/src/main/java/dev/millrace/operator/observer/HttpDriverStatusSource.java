package dev.millrace.operator.observer;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.operator.resource.LaunchContract;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** Polls the driver pod's IP on {@link LaunchContract#HTTP_PORT}. */
public final class HttpDriverStatusSource implements DriverStatusSource {
  private final DriverStatusClient client;

  /** Polls with {@code client}. */
  public HttpDriverStatusSource(DriverStatusClient client) {
    this.client = client;
  }

  @Override
  public Optional<DriverStatusReport> poll(Pod driverPod) {
    String ip = driverPod.getStatus() == null ? null : driverPod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      return Optional.empty();
    }
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return client.poll(host + ":" + LaunchContract.HTTP_PORT);
  }
}
