package dev.millrace.runtime.logs;

import java.io.Serializable;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rolling.AbstractTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.FileSize;
import org.apache.logging.log4j.core.appender.rolling.RollingFileManager;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginConfiguration;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * A Log4j triggering policy that rolls a file before the event that would take it past {@code
 * size}, so that no file grows beyond its limit (but for a single event longer than it), as a disk
 * budget of {@code MILLRACE_LOG_FILE_SIZE} × ({@code MILLRACE_LOG_FILES} + 1) promises. Log4j's
 * {@code SizeBasedTriggeringPolicy} rolls only once a file has passed the size. It measures an
 * event as the layout of {@code appender}, the RollingFile it serves, writes it.
 *
 * <p>In a configuration: {@code <LimitedSizePolicy size="64 MB" appender="log"/>}.
 */
@Plugin(
    name = "LimitedSizePolicy",
    category = Core.CATEGORY_NAME,
    elementType = "TriggeringPolicy",
    printObject = true)
public final class LimitedSizePolicy extends AbstractTriggeringPolicy {
  private final long maxBytes;
  private final String appender;
  private final Configuration configuration;
  private RollingFileManager manager;
  // The appender's layout, found at its first event: the appender is built after its policy.
  private Layout<? extends Serializable> layout;

  private LimitedSizePolicy(long maxBytes, String appender, Configuration configuration) {
    this.maxBytes = maxBytes;
    this.appender = appender;
    this.configuration = configuration;
  }

  /** The policy rolling the files of RollingFile {@code appender} before they pass {@code size}. */
  @PluginFactory
  public static LimitedSizePolicy createPolicy(
      @PluginAttribute("size") String size,
      @PluginAttribute("appender") String appender,
      @PluginConfiguration Configuration configuration) {
    long bytes = FileSize.parse(size, -1);
    if (bytes < 1 || appender == null || appender.isBlank()) {
      throw new IllegalArgumentException(
          "LimitedSizePolicy needs a positive size (e.g. size=\"64 MB\") and the name of its"
              + " RollingFile (appender=\"log\"); got size="
              + size
              + ", appender="
              + appender);
    }
    return new LimitedSizePolicy(bytes, appender, configuration);
  }

  @Override
  public void initialize(RollingFileManager manager) {
    this.manager = manager;
  }

  @Override
  public boolean isTriggeringEvent(LogEvent event) {
    long size = manager.getFileSize();
    if (size == 0) {
      return false;
    }
    if (layout == null) {
      Appender rolling = configuration.getAppender(appender);
      if (rolling == null) {
        return size >= maxBytes;
      }
      layout = rolling.getLayout();
    }
    return size + layout.toByteArray(event).length > maxBytes;
  }

  @Override
  public String toString() {
    return "LimitedSizePolicy(size=" + maxBytes + ", appender=" + appender + ")";
  }
}
