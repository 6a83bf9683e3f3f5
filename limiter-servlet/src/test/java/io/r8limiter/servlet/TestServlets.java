package io.r8limiter.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The servlets of the test web application. */
final class TestServlets {

    private TestServlets() {}

    /** Answers 200 with the dispatcher type and path. */
    public static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("hello " + request.getDispatcherType() + " " + request.getRequestURI());
        }
    }

    /** Answers 200 with the query string. */
    public static final class Echo extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("echo " + request.getQueryString());
        }
    }

    /** Goes async, then dispatches back to itself from another thread and answers on the ASYNC dispatch. */
    public static final class Async extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getDispatcherType() == DispatcherType.ASYNC) {
                response.getWriter().print("async done");
                return;
            }
            AsyncContext async = request.startAsync();
            async.start(async::dispatch);
        }
    }

    /** Forwards to another path under the same filter. */
    public static final class Forward extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            request.getRequestDispatcher("/once/hello").forward(request, response);
        }
    }

    /** Includes another path under the same filter. */
    public static final class Include extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.getWriter().print("included: ");
            request.getRequestDispatcher("/once/hello").include(request, response);
        }
    }

    /** Fails with 503, whose error page lies under the same filter. */
    public static final class Fail extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(503);
        }
    }

    /**
     * {@code /dispatch/forward} forwards to and {@code /dispatch/include} includes {@code /dispatched/...};
     * {@code /dispatch/error} fails with 418, whose error page is {@code /dispatched/error/page}.
     */
    public static final class Dispatcher extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            switch (request.getPathInfo()) {
                case "/forward" ->
                    request.getRequestDispatcher("/dispatched/forward/x").forward(request, response);
                case "/include" -> {
                    response.getWriter().print("included: ");
                    request.getRequestDispatcher("/dispatched/include/x").include(request, response);
                }
                default -> response.sendError(418);
            }
        }
    }
}
