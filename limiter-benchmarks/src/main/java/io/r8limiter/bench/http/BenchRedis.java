package io.r8limiter.bench.http;

import io.r8limiter.testkit.RedisServerProcess;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one throwaway {@code redis-server} from the embedded binaries on a free port (never 6379), prints
 * {@code redis-port=N} once it answers {@code PING}, and keeps it until this JVM ends: the test kit's shutdown hook
 * kills the server on SIGTERM, its watchdog after a SIGKILL.
 *
 * @since 0.1
 */
public final class BenchRedis {

    private BenchRedis() {}

    public static void main(String[] args) throws InterruptedException {
        RedisServerProcess redis =
                RedisServerProcess.builder().name("http-bench").start();
        System.out.println("redis-port=" + redis.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
