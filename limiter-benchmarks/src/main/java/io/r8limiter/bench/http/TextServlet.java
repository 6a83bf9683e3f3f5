package io.r8limiter.bench.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers every GET with a two-byte {@code text/plain} body, the same with and without the filter in front. */
final class TextServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] BODY = BenchController.BODY.getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
