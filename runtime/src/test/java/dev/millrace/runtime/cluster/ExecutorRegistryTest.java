package dev.millrace.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.transport.Message;
import dev.millrace.runtime.transport.Transport;
import dev.millrace.runtime.transport.TransportOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorRegistryTest {
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Transport transport = new Transport("test", TransportOptions.defaults());
  private final TestingClock clock = new TestingClock();
  private final TestingMembershipLog log = new TestingMembershipLog();

  @AfterEach
  void closeTransport() {
    transport.close();
  }

  private ExecutorRegistry registry(int port, long epoch) throws Exception {
    ExecutorRegistry registry =
        ExecutorRegistry.start(
            transport,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            "clicks",
            epoch,
            INTERVAL,
            TIMEOUT,
            clock);
    registry.addListener(log);
    return registry;
  }

  private ExecutorAgent agent(String id, String app, int port) {
    return agent(id, app, DriverLocator.at("127.0.0.1", port));
  }

  private ExecutorAgent agent(String id, DriverLocator driver) {
    return agent(id, "clicks", driver);
  }

  private ExecutorAgent agent(String id, String app, DriverLocator driver) {
    ExecutorAgent agent =
        new ExecutorAgent(
            transport,
            driver,
            new Message.Register(id, app, 2, 1L << 30, 1000, "localhost", 0, ""),
            Duration.ofMinutes(1),
            TaskHandler.NONE);
    agent.start();
    return agent;
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 5 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void anExecutorRegistersAndItsHeartbeatsKeepItAlive() throws Exception {
    try (ExecutorRegistry registry = registry(0, 1);
        ExecutorAgent agent = agent("exec-1", "clicks", registry.port())) {
      log.await("added exec-1 session 1", 5_000);
      ExecutorInfo info = registry.executors().get(0);
      assertEquals(
          List.of("exec-1", 2, 1000L), List.of(info.executorId(), info.cores(), info.pid()));
      awaitTrue(() -> agent.sessionId() == 1 && agent.driverEpoch() == 1, "agent in session 1");

      clock.advance(Duration.ofSeconds(1));
      awaitTrue(
          () -> registry.executors().get(0).lastHeartbeatAt().equals(clock.instant()),
          "a heartbeat at the advanced time");
      clock.advance(Duration.ofSeconds(1));
      registry.expireSilentExecutors();
      assertEquals(1, registry.executorsReady(), "heartbeats within the timeout keep it");
    }
  }

  @Test
  void anExecutorOfAnotherApplicationIsRejectedNamingBothApplications() throws Exception {
    try (ExecutorRegistry registry = registry(0, 1);
        TestingPeer peer = new TestingPeer(transport, registry.port())) {
      peer.send(new Message.Register("exec-1", "orders", 1, 1, 1, "localhost", 0, ""));
      Message.Rejected rejected = peer.next(Message.Rejected.class);
      assertTrue(rejected.permanent(), "another application is refused for good");
      String reason = rejected.reason();
      assertTrue(reason.contains("'orders'") && reason.contains("'clicks'"), reason);
      assertEquals(0, registry.executorsReady());
    }
  }

  @Test
  void anExecutorBuiltFromAnotherSpecIsRejectedForGoodAndOneWithoutASpecIsAccepted()
      throws Exception {
    try (ExecutorRegistry registry =
            ExecutorRegistry.start(
                transport,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "clicks",
                "cafe0001",
                1,
                INTERVAL,
                TIMEOUT,
                clock);
        TestingPeer stale = new TestingPeer(transport, registry.port());
        TestingPeer current = new TestingPeer(transport, registry.port());
        TestingPeer specless = new TestingPeer(transport, registry.port())) {
      stale.send(new Message.Register("exec-1", "clicks", 1, 1, 1, "localhost", 0, "0ld0ld00"));
      Message.Rejected rejected = stale.next(Message.Rejected.class);
      assertTrue(rejected.permanent(), rejected.toString());
      assertTrue(
          rejected.reason().contains("0ld0ld00") && rejected.reason().contains("cafe0001"),
          rejected.reason());

      current.send(new Message.Register("exec-2", "clicks", 1, 1, 1, "localhost", 0, "cafe0001"));
      current.next(Message.Registered.class);
      specless.send(new Message.Register("exec-3", "clicks", 1, 1, 1, "localhost", 0, ""));
      specless.next(Message.Registered.class);
      assertEquals(2, registry.executorsReady());
    }
  }

  @Test
  void anAgentRefusedForGoodGivesUpInsteadOfRetrying() throws Exception {
    try (ExecutorRegistry registry = registry(0, 1);
        ExecutorAgent agent = agent("exec-1", "orders", registry.port())) {
      String reason = agent.driverGone().get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(reason.contains("'orders'"), reason);
    }
  }

  @Test
  void aSilentExecutorIsDeclaredLostAfterTheHeartbeatTimeout() throws Exception {
    try (ExecutorRegistry registry = registry(0, 1);
        TestingPeer peer = new TestingPeer(transport, registry.port())) {
      peer.send(new Message.Register("exec-1", "clicks", 1, 1, 1, "localhost", 0, ""));
      peer.next(Message.Registered.class);
      clock.advance(TIMEOUT);
      registry.expireSilentExecutors();
      assertEquals(1, registry.executorsReady(), "exactly the timeout is not yet too long");

      clock.advance(Duration.ofMillis(1));
      registry.expireSilentExecutors();
      String lost = log.await("lost exec-1 session 1", 5_000);
      assertTrue(lost.contains("heartbeat timeout"), lost);
      assertEquals(0, registry.executorsReady());
    }
  }

  @Test
  void aHeartbeatOfALostSessionIsAnsweredWithLostAndTheAgentRegistersAgain() throws Exception {
    try (ExecutorRegistry registry = registry(0, 1);
        ExecutorAgent agent = agent("exec-1", "clicks", registry.port())) {
      log.await("added exec-1 session 1", 5_000);
      clock.advance(TIMEOUT.plusMillis(1));
      registry.expireSilentExecutors();
      log.await("lost exec-1 session 1", 5_000);

      log.await("fenced exec-1 session 1", 5_000);
      log.await("added exec-1 session 2", 5_000);
      awaitTrue(() -> agent.sessionId() == 2, "the agent in its new session");
      assertEquals(2, registry.executors().get(0).sessionId());
    }
  }

  @Test
  void listenersHearASessionsLossBeforeItsFencingAndTheNextRegistrationEvenWhenOneIsSlow()
      throws Exception {
    try (ExecutorRegistry registry =
        ExecutorRegistry.start(
            transport,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "clicks",
            1,
            INTERVAL,
            TIMEOUT,
            clock)) {
      // A listener ahead of the log that is still busy with the loss while the executor's next
      // heartbeat is fenced and it registers again, on transport threads.
      CountDownLatch fencedMeanwhile = new CountDownLatch(1);
      ExecutorListener slow =
          new ExecutorListener() {
            @Override
            public void executorLost(ExecutorInfo executor, String reason) {
              try {
                fencedMeanwhile.await(500, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }

            @Override
            public void messageFenced(String executorId, long sessionId, String reason) {
              fencedMeanwhile.countDown();
            }
          };
      registry.addListener(slow);
      registry.addListener(log);
      ExecutorAgent agent = agent("exec-1", "clicks", registry.port());
      log.await("added exec-1 session 1", 5_000);
      clock.advance(TIMEOUT.plusMillis(1));
      registry.expireSilentExecutors();

      log.await("added exec-1 session 2", 5_000);
      List<String> heard =
          log.seenSoFar().stream().map(event -> event.split(":")[0]).distinct().toList();
      assertEquals(
          List.of(
              "added exec-1 session 1",
              "lost exec-1 session 1",
              "fenced exec-1 session 1",
              "added exec-1 session 2"),
          heard);
      awaitTrue(() -> agent.sessionId() == 2, "the agent in its new session");
      agent.close();
    }
  }

  @Test
  void aRestartedDriverOnTheSamePortTakesTheExecutorsUnderItsEpochAndFencesTheOld()
      throws Exception {
    ExecutorRegistry first = registry(0, 1);
    int port = first.port();
    try (ExecutorAgent a = agent("exec-1", "clicks", port);
        ExecutorAgent b = agent("exec-2", "clicks", port)) {
      awaitTrue(() -> first.executorsReady() == 2, "two executors with epoch 1");
      long oldSession = a.sessionId();
      first.close();

      try (ExecutorRegistry second = registry(port, 2)) {
        awaitTrue(
            () -> second.executorsReady() == 2 && a.driverEpoch() == 2 && b.driverEpoch() == 2,
            "both executors re-registered under epoch 2");
        try (TestingPeer zombie = new TestingPeer(transport, port)) {
          zombie.send(new Message.Heartbeat("exec-1", oldSession, 1, 7));
          String reason = zombie.next(Message.Lost.class).reason();
          assertTrue(reason.contains("epoch 1") && reason.contains("epoch 2"), reason);

          zombie.send(new Message.Register("exec-3", "clicks", 1, 1, 1, "localhost", 3, ""));
          Message.Rejected rejection = zombie.next(Message.Rejected.class);
          assertFalse(rejection.permanent(), "a newer driver may answer the next attempt");
          String refused = rejection.reason();
          assertTrue(refused.contains("epoch 3"), refused);
        }
        assertNotEquals(0, a.sessionId());
        assertEquals(2, second.executorsReady());
      }
    }
  }

  @Test
  void anAgentFollowsItsAddressFileToARestartedDriverOnAnotherPort(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("driver.address");
    ExecutorRegistry first = registry(0, 1);
    Files.writeString(file, "127.0.0.1:" + first.port() + "\n");
    try (ExecutorAgent agent =
        agent("exec-1", DriverLocator.inFile(file.toUri(), new Configuration()))) {
      awaitTrue(() -> first.executorsReady() == 1, "the executor with the first driver");
      first.close();

      try (ExecutorRegistry second = registry(0, 2)) {
        // Written as a backend publishes it: complete, then moved over the old one.
        Path next = dir.resolve(".driver.address.tmp");
        Files.writeString(next, "127.0.0.1:" + second.port());
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        awaitTrue(
            () -> second.executorsReady() == 1 && agent.driverEpoch() == 2,
            "the executor found the second driver on port " + second.port() + " through the file");
      }
    }
  }

  @Test
  void aLateTaskResultOfALostSessionIsFencedAndNeverReachesTheStages() throws Exception {
    try (ExecutorRegistry registry = registry(0, 1);
        TestingPeer executor = new TestingPeer(transport, registry.port())) {
      executor.send(new Message.Register("exec-1", "clicks", 2, 1, 1, "localhost", 0, ""));
      long session = executor.next(Message.Registered.class).sessionId();
      executor.send(new Message.ShuffleMapDone(5, 1, session, List.of(new byte[0]), List.of()));
      log.await("result exec-1 session " + session + " task 5", 5_000);

      clock.advance(TIMEOUT.plusMillis(1));
      registry.expireSilentExecutors();
      log.await("lost exec-1 session " + session, 5_000);
      executor.send(new Message.ShuffleMapDone(6, 1, session, List.of(new byte[0]), List.of()));
      String reason = executor.next(Message.Lost.class).reason();
      assertTrue(reason.contains("task 6") && reason.contains("session " + session), reason);
      String fenced = log.await("fenced", 5_000);
      assertTrue(fenced.contains("task 6"), fenced);

      executor.send(new Message.TaskFailed(7, 1, session, "too late"));
      executor.next(Message.Lost.class);
      log.await("fenced", 5_000);
      assertTrue(
          log.seenSoFar().stream().noneMatch(e -> e.startsWith("result") && !e.endsWith("task 5")),
          log.seenSoFar().toString());
    }
  }

  @Test
  void aTaskResultNamingAnotherDriverEpochIsFenced() throws Exception {
    try (ExecutorRegistry registry = registry(0, 2);
        TestingPeer executor = new TestingPeer(transport, registry.port())) {
      executor.send(new Message.Register("exec-1", "clicks", 2, 1, 1, "localhost", 0, ""));
      long session = executor.next(Message.Registered.class).sessionId();
      executor.send(new Message.TaskFailed(3, 1, session, "from the old driver's task"));
      String reason = executor.next(Message.Lost.class).reason();
      assertTrue(reason.contains("driver epoch 1") && reason.contains("epoch 2"), reason);
      assertEquals(1, registry.executorsReady());
    }
  }
}
