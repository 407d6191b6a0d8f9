package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.StreamingApp;
import dev.millrace.streaming.Durations;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextSettingsTest {

  private static StreamingApp app() {
    StreamingApp app = new StreamingApp();
    app.setMetadata(new ObjectMetaBuilder().withName("clicks").build());
    app.getSpec().setBatchInterval("500ms");
    app.getSpec().getCheckpoint().setDir("hdfs://nn/checkpoints/clicks");
    app.getSpec().getApplication().setMainClass("com.example.Clicks");
    return app;
  }

  private static String refusal(StreamingApp app) {
    return assertThrows(DriverConfigurationException.class, () -> ContextSettings.of(app))
        .getMessage();
  }

  @Test
  void theSpecBecomesALocalContextWithItsCheckpointAndStopSettings() {
    StreamingApp app = app();
    app.getSpec().getDriver().setCores(3);
    app.getSpec().getCheckpoint().setInterval("5s");
    app.getSpec().getCheckpoint().setRetain(4);
    app.getSpec().setGracefulStopTimeout("2m");
    app.getSpec().getApplication().setConf(Map.of("millrace.default.parallelism", "6"));

    ContextSettings settings = ContextSettings.of(app);

    assertEquals("local[3]", settings.master());
    assertEquals("clicks", settings.appName());
    assertEquals(Durations.milliseconds(500), settings.batchInterval());
    assertEquals("hdfs://nn/checkpoints/clicks", settings.checkpointDir());
    assertEquals(
        Map.of(
            "millrace.default.parallelism", "6",
            "millrace.checkpoint.dir", "hdfs://nn/checkpoints/clicks",
            "millrace.checkpoint.interval", "5000ms",
            "millrace.checkpoint.retain", "4",
            "millrace.stop.graceful-timeout", "120000ms"),
        settings.conf());
  }

  @Test
  void aConfEntryThatRepeatsASpecFieldMustAgreeWithIt() {
    StreamingApp app = app();
    app.getSpec().getCheckpoint().setInterval("5s");
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("millrace.checkpoint.interval", "5000ms");
    app.getSpec().getApplication().setConf(conf);
    assertEquals("5000ms", ContextSettings.of(app).conf().get("millrace.checkpoint.interval"));

    conf.put("millrace.checkpoint.interval", "10s");
    String message = refusal(app);
    assertTrue(
        message.contains("millrace.checkpoint.interval=10s")
            && message.contains("set it in spec.checkpoint.interval only"),
        message);
  }

  @Test
  void missingOrInvalidFieldsAreNamed() {
    StreamingApp noDir = app();
    noDir.getSpec().getCheckpoint().setDir(null);
    assertTrue(refusal(noDir).startsWith("spec.checkpoint.dir is required"));

    StreamingApp badInterval = app();
    badInterval.getSpec().setBatchInterval("1 second");
    String message = refusal(badInterval);
    assertTrue(message.startsWith("spec.batchInterval: '1 second' is not a duration"), message);

    StreamingApp noName = app();
    noName.getMetadata().setName(null);
    assertTrue(refusal(noName).contains("metadata.name"));
  }
}
