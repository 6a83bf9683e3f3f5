package io.r8limiter.servlet;

import io.r8limiter.BucketKey;
import io.r8limiter.RateLimiter;
import java.nio.file.Path;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12.1 (ee11) server serving a web application directory with its {@code WEB-INF/web.xml}. */
final class JettyWebApp implements AutoCloseable {

    private final Server server = new Server();
    private final WebAppContext webapp = new WebAppContext();
    private final ServerConnector connector = new ServerConnector(server);

    private JettyWebApp(Path directory) {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        webapp.setContextPath("/");
        webapp.setWar(directory.toAbsolutePath().toString());
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
    }

    /** Starts the web application in {@code directory}. */
    static JettyWebApp start(Path directory) throws Exception {
        JettyWebApp app = new JettyWebApp(directory);
        try {
            app.server.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        return app;
    }

    int port() {
        return connector.getLocalPort();
    }

    /** The filter instance declared as {@code name}. */
    RateLimitFilter filter(String name) {
        return (RateLimitFilter) webapp.getServletHandler().getFilter(name).getFilter();
    }

    /** Refills the bucket of {@code parts} under the filter {@code name}. */
    void reset(String name, String... parts) {
        RateLimitFilter filter = filter(name);
        RateLimiter limiter = filter.limiter();
        limiter.reset(filter.policy(), BucketKey.of(parts));
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
