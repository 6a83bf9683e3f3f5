package io.r8limiter.jaxrs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.servlet.Servlet;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The feature on Jersey 4, served by Jersey's servlet inside a Jetty 12.1 ee11 context. Skipped where Jersey is
 * left out of the class path (a {@code -Dtest} run in the RESTEasy execution).
 */
class JerseyTest extends JaxrsContract {

    @Override
    Class<? extends Servlet> runtime() {
        assumeTrue(ResteasyTest.present("org.glassfish.jersey.servlet.ServletContainer"), "Jersey absent");
        return ServletContainer.class;
    }
}
