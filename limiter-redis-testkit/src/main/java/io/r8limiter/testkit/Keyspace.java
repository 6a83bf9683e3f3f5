package io.r8limiter.testkit;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Read-only inspections of one server's keyspace and memory, for leak and expiry assertions. */
final class Keyspace {

    private Keyspace() {}

    /** Every key without an expiry ({@code PTTL} of -1), found with {@code SCAN} so the server never blocks. */
    static List<String> keysWithoutTtl(Jedis jedis) {
        List<String> found = new ArrayList<>();
        ScanParams params = new ScanParams().count(1_000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            for (String key : page.getResult()) {
                if (jedis.pttl(key) == -1) {
                    found.add(key);
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return found;
    }

    /** The {@code used_memory} figure of {@code INFO memory}, in bytes. */
    static long usedMemoryBytes(Jedis jedis) {
        return jedis.info("memory")
                .lines()
                .filter(line -> line.startsWith("used_memory:"))
                .map(line ->
                        Long.parseLong(line.substring("used_memory:".length()).trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("INFO memory has no used_memory"));
    }
}
