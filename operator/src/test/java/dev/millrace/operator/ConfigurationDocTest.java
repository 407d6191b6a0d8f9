package dev.millrace.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.kafka.KafkaOptions;
import dev.millrace.kafka.KafkaSinkOptions;
import dev.millrace.runtime.config.ConfigurationReference;
import dev.millrace.runtime.config.ContainerEnvironment;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.transport.TransportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's reference is generated from the typed options and variables: this module
 * sees every registry (the runtime's and the operator's), so it renders the reference and fails
 * when the committed copy is stale, as CrdYamlTest does for the CRD.
 */
class ConfigurationDocTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");
  private static final String REGENERATE =
      "mvn -B -ntp -o test -pl operator -Dtest=ConfigurationDocTest -Dmillrace.regenerate=true";

  /** The reference as the code defines it. */
  static String reference() {
    return ConfigurationReference.render(
        List.of(
            ConfigurationReference.section(
                "Engine settings (`millrace.*` entries of `spec.conf`, `--conf` or the context)",
                StreamingOptions.all()),
            ConfigurationReference.variableSection(
                "Driver and executor environment (`spec.driver.env`, `spec.executor.env`)",
                ContainerEnvironment.all()),
            ConfigurationReference.variableSection(
                "Operator environment (its Deployment; the Helm chart sets them)",
                OperatorEnvironment.all()),
            ConfigurationReference.section(
                "Transport limits between driver and executors (fixed in this build)",
                TransportOptions.limits()),
            ConfigurationReference.section(
                "Kafka input (`KafkaInput.directStream(ssc, options)`, module `millrace-kafka`)",
                KafkaOptions.all()),
            ConfigurationReference.section(
                "Kafka output (`KafkaOutput.saveToKafka(stream, toRecord, options)`, module"
                    + " `millrace-kafka`)",
                KafkaSinkOptions.all())));
  }

  @Test
  void theCommittedReferenceIsWhatTheCodeDefines() throws Exception {
    String doc = Files.readString(DOC);
    int begin = doc.indexOf(ConfigurationReference.BEGIN);
    int end = doc.indexOf(ConfigurationReference.END);
    assertTrue(begin >= 0 && end > begin, DOC + " lost its generated section's markers");
    String committed = doc.substring(begin, end + ConfigurationReference.END.length() + 1);
    String generated = reference();
    if (Boolean.getBoolean("millrace.regenerate")) {
      Files.writeString(DOC, doc.replace(committed, generated));
      return;
    }
    assertEquals(
        generated,
        committed,
        DOC
            + " is stale: an option, variable or default changed; regenerate it with "
            + REGENERATE);
  }
}
