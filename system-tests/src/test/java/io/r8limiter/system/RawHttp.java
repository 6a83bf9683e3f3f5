package io.r8limiter.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as given (no client-side validation of the target, headers or encoding) over a fresh
 * connection and reads the whole answer, so hostile requests reach the server as a hostile client would send them.
 */
final class RawHttp {

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int MAX_ANSWER = 1 << 20;

    private RawHttp() {}

    /**
     * The answer to {@code request}, which must include {@code Connection: close}; status -1 if the server hung up
     * without answering. The request is written on a second thread while this one reads: a server may answer and
     * close before reading a large body, and a client that only reads once it has written everything then meets a
     * reset that discards the answer already sent.
     */
    static Answer exchange(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            Thread writer = new Thread(() -> write(socket, request), "raw-http-writer");
            writer.start();
            Answer answer = Answer.parse(readUntilClosed(socket.getInputStream()));
            writer.join(TIMEOUT_MILLIS);
            return answer;
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no answer within " + TIMEOUT_MILLIS + " ms", e);
        } catch (IOException e) {
            return new Answer(-1, "", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void write(Socket socket, byte[] request) {
        try {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // The server stopped reading (it answered, or refused the request); the reader sees what it sent.
        }
    }

    static byte[] request(String method, String target, String extraHeaders, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders
                + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "")
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** Everything read until the server closes the connection, or resets it after answering. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) != -1 && out.size() < MAX_ANSWER) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }

    /** A parsed answer: status, raw header block and body (chunked bodies are left as sent). */
    record Answer(int status, String head, String body) {

        static Answer parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                return new Answer(-1, text, "");
            }
            int status = Integer.parseInt(text.substring(9, 12));
            return new Answer(status, text.substring(0, end), text.substring(end + 4));
        }

        @Override
        public String toString() {
            return status + " " + head.replace("\r\n", " | ") + " :: " + body;
        }
    }
}
