package io.r8limiter.jaxrs;

import jakarta.servlet.Servlet;
import org.glassfish.jersey.servlet.ServletContainer;

/** The feature on Jersey 4, served by Jersey's servlet inside a Jetty 12.1 ee11 context. */
class JerseyTest extends JaxrsContract {

    @Override
    Class<? extends Servlet> runtime() {
        return ServletContainer.class;
    }
}
