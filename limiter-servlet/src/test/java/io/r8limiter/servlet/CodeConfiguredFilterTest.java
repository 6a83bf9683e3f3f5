package io.r8limiter.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.MissingKey;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter built in code around the application's own limiter, registered programmatically. */
class CodeConfiguredFilterTest {

    private final RateLimiter limiter = RateLimiter.builder()
            .policies(Policy.of("orders", Limit.of(4, 4, Duration.ofMinutes(1))))
            .build();
    private Server server;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        RateLimitFilter filter = RateLimitFilter.builder(limiter, "orders")
                .key("principal")
                .missingKey(MissingKey.SKIP)
                .cost(2)
                .build();
        context.addFilter(new FilterHolder(new FakeLogin()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(filter), "/orders/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(TestServlets.Hello.class, "/");
        server.setHandler(context);
        server.start();
        http = new Http(connector.getLocalPort());
    }

    /** Stands in for a container login: the {@code X-Login} header names the principal. */
    static final class FakeLogin implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            String login = ((HttpServletRequest) req).getHeader("X-Login");
            if (login == null) {
                chain.doFilter(req, res);
                return;
            }
            chain.doFilter(
                    new HttpServletRequestWrapper((HttpServletRequest) req) {
                        @Override
                        public Principal getUserPrincipal() {
                            return () -> login;
                        }
                    },
                    res);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void decidesWithTheApplicationsLimiter_andSkipsAnonymousCallers() {
        List<Integer> anonymous = http.statuses(5, "/orders/1");

        assertThat(anonymous).containsOnly(200);
        assertThat(limiter.peek("orders", BucketKey.of("ip", "127.0.0.1")).remaining())
                .isEqualTo(4);
    }

    @Test
    void keysByPrincipal_atTheConfiguredCost() {
        List<Integer> alice = http.statuses(3, "/orders/1", "X-Login", "alice");
        HttpResponse<String> bob = http.get("/orders/1", "X-Login", "bob");

        assertThat(alice).containsExactly(200, 200, 429);
        assertThat(bob.headers().firstValue("RateLimit")).hasValue("\"orders\";r=2;t=15");
        assertThat(limiter.peek("orders", BucketKey.of("principal", "alice")).remaining())
                .isZero();
    }

    @Test
    void builder_rejectsUnknownPolicyAndTooHighCost() {
        assertThatThrownBy(() -> RateLimitFilter.builder(limiter, "nope").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> RateLimitFilter.builder(limiter, "orders").cost(5))
                .hasMessage("cost 5 exceeds the capacity 4 of policy 'orders'");
    }

    @Test
    void destroy_leavesTheApplicationsLimiterOpen() throws Exception {
        server.stop();

        assertThat(limiter.tryConsume("orders", BucketKey.of("u")).allowed()).isTrue();
    }
}
