/**
 * What a running application tells Prometheus: the driver's metrics ({@code DriverMetrics}), served
 * by its HTTP endpoint at {@code /metrics}. May use: the user's API's listener events ({@code
 * streaming}) and the engine's inputs ({@code stream}, {@code source}); the driver wires it, never
 * the engine.
 */
package dev.millrace.runtime.metrics;
