/**
 * The Redis backend: buckets shared by every instance of an application, decided by one Lua script call each, with
 * a failure mode and a circuit breaker for outages. The only package that needs Jedis and Resilience4j on the class
 * path.
 */
@NullMarked
package io.r8limiter.redis;

import org.jspecify.annotations.NullMarked;
