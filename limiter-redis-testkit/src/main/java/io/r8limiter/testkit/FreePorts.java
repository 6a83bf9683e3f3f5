package io.r8limiter.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks TCP ports that are free on 127.0.0.1 right now.
 *
 * <p>Ports come from 10000-31999, below Linux' ephemeral range (32768 and up), so a port freed by a killed
 * server is not taken by some client's outgoing connection before the server is restarted on it. Another
 * process may still grab a port between this check and the server's bind; callers retry on a failed start.
 */
final class FreePorts {

    private static final int LOW = 10_000;

    private static final int HIGH = 32_000;

    private FreePorts() {}

    static int next() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found between " + LOW + " and " + HIGH);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
