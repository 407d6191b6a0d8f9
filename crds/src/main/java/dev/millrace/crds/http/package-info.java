/**
 * HTTP serving every Millrace process shares: a server that a slow or hostile client cannot take
 * down ({@link dev.millrace.crds.http.BoundedHttpServer}).
 */
package dev.millrace.crds.http;
