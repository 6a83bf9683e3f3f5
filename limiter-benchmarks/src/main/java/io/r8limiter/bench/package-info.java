/**
 * JMH benchmarks of r8limiter against Bucket4j, Resilience4j and Guava, in memory and on a real Redis server, plus
 * the heap and Redis memory measurements and the open-loop HTTP load generator. Not API; built only in the Maven
 * profile {@code benchmarks}. {@link io.r8limiter.bench.Suite} runs everything with short settings.
 */
@NullMarked
package io.r8limiter.bench;

import org.jspecify.annotations.NullMarked;
