package dev.millrace.crds.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.millrace.crds.StreamingApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * StreamingApp YAML files, as {@code millrace run app.yaml} and {@code millrace submit --master
 * yarn app.yaml} read them: the file {@code kubectl apply} takes, checked as strictly as the API
 * server checks it.
 *
 * <p>Reading checks the document's form: YAML syntax, one document, field names (a typo is named,
 * with its line and the field probably meant), types and enum values. Whether the values make sense
 * for a backend is {@link StreamingAppValidator#requireValid}'s to say, next. Fields left out, or
 * set to null, get the Java defaults, which are the CRD's defaults.
 */
public final class StreamingAppFiles {
  // Strings are always quoted: unquoted, "0x1F", "1e3" or "yes" would read back as numbers or
  // booleans.
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  static {
    JsonInclude.Value nonEmpty = JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null);
    YAML.configOverride(List.class).setInclude(nonEmpty);
    YAML.configOverride(Map.class).setInclude(nonEmpty);
  }

  private StreamingAppFiles() {}

  /**
   * Reads the StreamingApp in {@code file} (UTF-8).
   *
   * @throws InvalidSpecException if it is not a well-formed StreamingApp
   * @throws UncheckedIOException if it cannot be read
   */
  public static StreamingApp read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new InvalidSpecException(
          file.toString(),
          List.of(new SpecViolation("", "", "the file is not UTF-8 text; save it as UTF-8")));
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses the StreamingApp in {@code yamlText}.
   *
   * @param source where the text came from, for messages: a file name or {@code <stdin>}
   * @throws InvalidSpecException if it is not a well-formed StreamingApp
   */
  public static StreamingApp parse(String yamlText, String source) {
    // Editors on Windows like to start UTF-8 files with a byte order mark.
    String text = yamlText.startsWith("\uFEFF") ? yamlText.substring(1) : yamlText;
    YamlDocument document = YamlDocument.parse(text, source);
    List<SpecViolation> violations = StructuralSchema.check(document);
    if (!violations.isEmpty()) {
      throw new InvalidSpecException(source, violations);
    }
    ObjectNode tree = document.root();
    // Fixed by the StreamingApp class (which ignores and logs a set value); checked above.
    tree.remove(List.of("apiVersion", "kind"));
    try {
      return YAML.treeToValue(tree, StreamingApp.class);
    } catch (JsonProcessingException e) {
      // The schema leaves pod templates free-form; this is where their contents are read.
      String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
      throw new InvalidSpecException(
          source,
          List.of(
              new SpecViolation(
                  field,
                  "",
                  "cannot be read: "
                      + e.getOriginalMessage().lines().findFirst().orElse("")
                      + document.at(field))));
    }
  }

  /**
   * The YAML of {@code app}'s apiVersion, kind, metadata and spec: what a user writes, in the
   * fields' documented order, without fields that are null or empty. {@link #parse} reads it back
   * to an equal spec. The status is left out: it belongs to the backend running the application.
   */
  public static String toYaml(StreamingApp app) {
    ObjectNode tree = YAML.valueToTree(app);
    tree.remove("status");
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always writes as YAML", e);
    }
  }

  private static String path(JsonMappingException e) {
    String path = "";
    for (JsonMappingException.Reference step : e.getPath()) {
      path =
          step.getFieldName() != null
              ? FieldPath.child(path, step.getFieldName())
              : FieldPath.index(path, step.getIndex());
    }
    return path;
  }
}
