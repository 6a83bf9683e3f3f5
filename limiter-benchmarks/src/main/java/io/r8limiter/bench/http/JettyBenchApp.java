package io.r8limiter.bench.http;

import io.r8limiter.servlet.RateLimitFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * The embedded Jetty 12.1 (EE 11) benchmark app: one tiny servlet at {@code /bare/*} and {@code /limited/*}, with
 * {@link RateLimitFilter} configured from init-params under {@link BenchPolicy} and mapped to {@code /limited/*}
 * only.
 *
 * <p>Arguments: {@code --port=N} (0, the default, picks a free one) and {@code --redis-url=redis://127.0.0.1:PORT}
 * to put the buckets on Redis instead of in memory. Binds 127.0.0.1, prints {@code jetty-bench listening on port N}
 * once started and runs until killed; Jetty stops, and the filter closes its limiter, on SIGTERM.
 *
 * @since 0.1
 */
public final class JettyBenchApp {

    private JettyBenchApp() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(argument(args, "port", "0"));
        String redisUrl = argument(args, "redis-url", null);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(context(redisUrl));
        server.setStopAtShutdown(true);

        server.start();
        System.out.println("jetty-bench listening on port " + connector.getLocalPort() + ", limiter on "
                + (redisUrl == null ? "memory" : redisUrl));
        server.join();
    }

    private static ServletContextHandler context(@Nullable String redisUrl) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder text = new ServletHolder("text", new TextServlet());
        context.addServlet(text, "/bare/*");
        context.addServlet(text, "/limited/*");
        FilterHolder limiter = new FilterHolder(RateLimitFilter.class);
        limiter.setName("r8limiter");
        limiter.setInitParameters(BenchPolicy.filterParams(redisUrl));
        context.addFilter(limiter, "/limited/*", EnumSet.of(DispatcherType.REQUEST));
        return context;
    }

    private static @Nullable String argument(String[] args, String name, @Nullable String fallback) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return fallback;
    }
}
