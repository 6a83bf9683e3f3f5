/**
 * Real Redis servers for r8limiter's tests, started from the {@code org.signal:embedded-redis} binaries on
 * free ports of 127.0.0.1: a standalone server ({@link io.r8limiter.testkit.RedisServerProcess}), a 3-master
 * Redis Cluster ({@link io.r8limiter.testkit.RedisClusterProcess}) and a Sentinel group
 * ({@link io.r8limiter.testkit.RedisSentinelGroup}).
 *
 * <p>Most tests share one lazily started server per JVM through {@link io.r8limiter.testkit.SharedRedis} and
 * flush it between tests; fault tests (kill, restart, pause, failover, slot migration) start their own. Every
 * process is killed when the JVM exits, even when a test forgets to close it.
 */
@NullMarked
package io.r8limiter.testkit;

import org.jspecify.annotations.NullMarked;
