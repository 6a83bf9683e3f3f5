package io.r8limiter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.HostAndPort;

/**
 * A TCP proxy in front of a Redis server that passes everything through until a client has sent a script call
 * (EVAL or EVALSHA); the server's next reply on that connection is thrown away and the connection closed. The client
 * then sees the connection end after the server ran the script, as when a server closes a connection (or dies)
 * between running a command and sending its reply.
 */
final class ReplyDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final HostAndPort target;

    private ReplyDroppingProxy(ServerSocket listener, HostAndPort target) {
        this.listener = listener;
        this.target = target;
    }

    static ReplyDroppingProxy start(HostAndPort target) throws IOException {
        ReplyDroppingProxy proxy =
                new ReplyDroppingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
        daemon(proxy::accept);
        return proxy;
    }

    HostAndPort hostAndPort() {
        return new HostAndPort(listener.getInetAddress().getHostAddress(), listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                AtomicBoolean scriptSent = new AtomicBoolean();
                daemon(() -> toServer(client, server, scriptSent));
                daemon(() -> toClient(server, client, scriptSent));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void toServer(Socket client, Socket server, AtomicBoolean scriptSent) {
        byte[] buffer = new byte[8192];
        try (InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("EVAL")) {
                    scriptSent.set(true);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // the other direction closed both sockets
        }
    }

    private static void toClient(Socket server, Socket client, AtomicBoolean scriptSent) {
        byte[] buffer = new byte[8192];
        try (InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (scriptSent.get()) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // the client went away
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "reply-dropping-proxy");
        thread.setDaemon(true);
        thread.start();
    }
}
