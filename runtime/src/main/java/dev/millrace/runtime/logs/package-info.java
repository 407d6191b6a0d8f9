/**
 * How a Millrace process logs: Log4j 2 started with Millrace's default configuration or the user's
 * ({@link dev.millrace.runtime.logs.ProcessLogging}), the format and levels of the environment, and
 * the files rolled at size and count limits where a backend keeps logs in files. May use: nothing
 * of the engine.
 */
package dev.millrace.runtime.logs;
