/**
 * What a running application tells Prometheus: the driver's metrics ({@code DriverMetrics}), served
 * by its HTTP endpoint at {@code /metrics}, and an executor's ({@code ExecutorMetrics}), served on
 * a port of its own ({@code MetricsServer}). May use: the user's API's listener events ({@code
 * streaming}), the engine's inputs ({@code stream}, {@code source}) and the task messages executors
 * answer ({@code cluster}, {@code transport}); the driver and the executor wire it, never the
 * engine.
 */
package dev.millrace.runtime.metrics;
