package io.github.s3eg.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code LOG_LEVEL} to the gateway's loggers ({@code io.github.s3eg}, and {@code s3eg} for
 * the access log) once the configuration is read, so that a level from {@code config.yaml} or a
 * system property counts as much as one from the environment ({@code logback.xml} sees only the
 * latter).
 */
public final class LogLevels {

  private LogLevels() {}

  public static void apply(String level) {
    Level parsed = Level.toLevel(level, Level.INFO);
    for (String name : new String[] {"io.github.s3eg", "s3eg"}) {
      if (LoggerFactory.getLogger(name) instanceof Logger logger) {
        logger.setLevel(parsed);
      }
    }
  }

  /**
   * Sends every console log line to standard error: for commands whose standard output is data
   * ({@code decrypt … -}) or a report ({@code scrub}).
   */
  public static void toStandardError() {
    if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext c)) {
      return;
    }
    for (Logger logger : c.getLoggerList()) {
      for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof ch.qos.logback.core.ConsoleAppender<?> console) {
          console.stop();
          console.setTarget("System.err");
          console.start();
        }
      }
    }
  }
}
