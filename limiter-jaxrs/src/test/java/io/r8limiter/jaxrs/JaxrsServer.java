package io.r8limiter.jaxrs;

import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A JAX-RS runtime's servlet serving {@link TestResources.App} in a Jetty 12.1 ee11 servlet context. */
final class JaxrsServer implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    private JaxrsServer(Class<? extends Servlet> runtime) {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(runtime);
        holder.setInitParameter("jakarta.ws.rs.Application", TestResources.App.class.getName());
        holder.setInitOrder(1);
        context.addServlet(holder, "/*");
        server.setHandler(context);
    }

    /** Starts {@code runtime} (Jersey's or RESTEasy's servlet) with the feature. */
    static JaxrsServer start(Class<? extends Servlet> runtime, RateLimitFeature feature) throws Exception {
        TestResources.App.feature = feature;
        JaxrsServer s = new JaxrsServer(runtime);
        s.server.start();
        return s;
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
