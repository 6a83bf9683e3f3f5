package io.r8limiter.jaxrs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.servlet.Servlet;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;

/**
 * The same assertions on RESTEasy 7, proving the feature portable across JAX-RS runtimes. It runs in its own
 * surefire execution, on a class path without Jersey; where RESTEasy is left out (a {@code -Dtest} run in the
 * Jersey execution) it is skipped.
 */
class ResteasyTest extends JaxrsContract {

    @Override
    Class<? extends Servlet> runtime() {
        assumeTrue(present("org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher"), "RESTEasy absent");
        return HttpServlet30Dispatcher.class;
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, ResteasyTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
