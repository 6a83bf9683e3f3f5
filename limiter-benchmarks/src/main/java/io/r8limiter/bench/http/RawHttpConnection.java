package io.r8limiter.bench.http;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One keep-alive HTTP/1.1 connection that sends a request and reads the whole answer before the next one.
 *
 * <p>Opens its socket on first use and again after the server closed it ({@code Connection: close}) or after an
 * I/O error, which it rethrows having closed the socket. Reads a body framed by {@code Content-Length} or chunked
 * transfer coding and discards it. Used by one thread only.
 */
final class RawHttpConnection implements Closeable {

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final StringBuilder line = new StringBuilder(256);
    private final byte[] sink = new byte[8192];

    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;

    RawHttpConnection(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /** Sends {@code request} and returns the status code once the answer has been read to its end. */
    int exchange(byte[] request) throws IOException {
        try {
            if (socket == null) {
                open();
            }
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16384);
        out = s.getOutputStream();
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: '" + status + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = status.startsWith("HTTP/1.0");
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            String h = header.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (h.startsWith("transfer-encoding:")) {
                chunked = h.contains("chunked");
            } else if (h.startsWith("connection:")) {
                closing = h.contains("close");
            }
        }
        readBody(code, length, chunked, closing);
        if (closing) {
            close();
        }
        return code;
    }

    private void readBody(int code, long length, boolean chunked, boolean closing) throws IOException {
        if (code / 100 == 1 || code == 204 || code == 304) {
            return;
        }
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                skip(size);
                readLine();
            }
            while (!readLine().isEmpty()) {
                // trailer fields, ignored
            }
        } else if (length >= 0) {
            skip(length);
        } else if (closing) {
            while (in.read(sink) >= 0) {
                // a body that ends with the connection
            }
        }
    }

    private long chunkSize() throws IOException {
        String size = readLine();
        int semicolon = size.indexOf(';');
        return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " body bytes unread");
            }
            left -= n;
        }
    }

    /** One header line without its CRLF, read as ISO-8859-1. */
    private String readLine() throws IOException {
        line.setLength(0);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed by the server in the middle of an answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
