package dev.millrace.yarn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks of YARN's asynchronous clients, which only hand what they are told to the
 * supervision thread as work on its queue. The clients are created, and may call back, before the
 * {@link YarnSupervisionBackend} they report to exists (it needs them), so the work looks the
 * backend up only when it runs: on the loop's thread, which runs no work before the backend is
 * built.
 */
final class YarnCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(YarnCallbacks.class);

  private YarnCallbacks() {}

  /** Hands the ResourceManager's callbacks to the supervision thread. */
  static final class ResourceManager extends AMRMClientAsync.AbstractCallbackHandler {
    private final BlockingQueue<Runnable> work;
    private final Supplier<YarnSupervisionBackend> containers;
    private final AmEndpoint.Listener stop;

    /**
     * Queues container facts on {@code work} for {@code containers}; asks {@code stop} for a
     * graceful stop when the ResourceManager wants this ApplicationMaster gone or its client fails.
     */
    ResourceManager(
        BlockingQueue<Runnable> work,
        Supplier<YarnSupervisionBackend> containers,
        AmEndpoint.Listener stop) {
      this.work = work;
      this.containers = containers;
      this.stop = stop;
    }

    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
      List<ContainerStatus> copy = new ArrayList<>(statuses);
      work.add(() -> copy.forEach(containers.get()::completed));
    }

    @Override
    public void onContainersAllocated(List<Container> allocated) {
      List<Container> copy = new ArrayList<>(allocated);
      work.add(() -> copy.forEach(containers.get()::allocated));
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> updated) {}

    @Override
    public void onShutdownRequest() {
      LOG.warn("the ResourceManager asks this ApplicationMaster to shut down; stopping gracefully");
      stop.stopRequested();
    }

    @Override
    public void onNodesUpdated(List<NodeReport> updatedNodes) {}

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void onError(Throwable e) {
      LOG.error("the ResourceManager client failed; stopping gracefully", e);
      stop.stopRequested();
    }
  }

  /** Hands the NodeManagers' callbacks to the supervision thread. */
  static final class NodeManagers extends NMClientAsync.AbstractCallbackHandler {
    private final BlockingQueue<Runnable> work;
    private final Supplier<YarnSupervisionBackend> containers;

    /** Queues container starts and start failures on {@code work} for {@code containers}. */
    NodeManagers(BlockingQueue<Runnable> work, Supplier<YarnSupervisionBackend> containers) {
      this.work = work;
      this.containers = containers;
    }

    @Override
    public void onContainerStarted(ContainerId id, Map<String, ByteBuffer> allServiceResponse) {
      work.add(() -> containers.get().started(id));
    }

    @Override
    public void onContainerStatusReceived(ContainerId id, ContainerStatus status) {}

    @Override
    public void onContainerStopped(ContainerId id) {}

    @Override
    public void onStartContainerError(ContainerId id, Throwable t) {
      work.add(() -> containers.get().startFailed(id, t));
    }

    @Override
    public void onContainerResourceIncreased(ContainerId id, Resource resource) {}

    @Override
    public void onContainerResourceUpdated(ContainerId id, Resource resource) {}

    @Override
    public void onGetContainerStatusError(ContainerId id, Throwable t) {}

    @Override
    public void onIncreaseContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onUpdateContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onStopContainerError(ContainerId id, Throwable t) {
      LOG.warn("cannot stop container {}: {}", id, t.toString());
    }
  }
}
