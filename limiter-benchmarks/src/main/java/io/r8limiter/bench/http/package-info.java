/**
 * HTTP benchmarks: {@link io.r8limiter.bench.http.OpenLoop}, a fixed-rate load generator that measures latency from
 * each request's scheduled time, and the apps {@code http-bench.sh} starts to compare one endpoint with and without
 * the limiter (Spring MVC with the starter, Jetty with the servlet filter) plus a throwaway Redis server. Not API.
 */
@NullMarked
package io.r8limiter.bench.http;

import org.jspecify.annotations.NullMarked;
