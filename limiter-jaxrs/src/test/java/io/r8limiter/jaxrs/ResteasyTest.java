package io.r8limiter.jaxrs;

import jakarta.servlet.Servlet;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;

/** The same assertions on RESTEasy 7, proving the feature portable across JAX-RS runtimes. */
class ResteasyTest extends JaxrsContract {

    @Override
    Class<? extends Servlet> runtime() {
        return HttpServlet30Dispatcher.class;
    }
}
