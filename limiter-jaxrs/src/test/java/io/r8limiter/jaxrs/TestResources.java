package io.r8limiter.jaxrs;

import io.r8limiter.RateLimited;
import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Set;

/** The resources of the test applications, and the application that registers them with the feature. */
final class TestResources {

    private TestResources() {}

    /** The application; tests set the feature before starting the server. */
    public static final class App extends Application {
        static volatile RateLimitFeature feature;

        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(Limited.class, Principals.class, Open.class, ByIp.class, FakeLogin.class);
        }

        @Override
        @SuppressWarnings("deprecation")
        public Set<Object> getSingletons() {
            return Set.of(feature);
        }
    }

    /** Limited through its class annotation, one method overriding it. */
    @Path("/limited")
    @RateLimited(policy = "three", key = "header:X-User")
    public static class Limited {
        @GET
        public String get() {
            return "limited";
        }

        @GET
        @Path("five")
        @RateLimited(policy = "five", key = "header:X-User")
        public String five() {
            return "five";
        }

        @GET
        @Path("slow")
        @RateLimited(policy = "P", key = "header:X-User")
        public String slow() {
            return "slow";
        }

        @GET
        @Path("crowd")
        @RateLimited(policy = "crowd", key = "header:X-User")
        public String crowd() {
            return "crowd";
        }

        @GET
        @Path("heavy")
        @RateLimited(policy = "five", key = "header:X-User", cost = 2)
        public String heavy() {
            return "heavy";
        }
    }

    /** Two methods with different policies, keyed by the same principal. */
    @Path("/principal")
    public static class Principals {
        @GET
        @Path("three")
        @RateLimited(policy = "three", key = "principal")
        public String three() {
            return "three";
        }

        @GET
        @Path("five")
        @RateLimited(policy = "five", key = "principal")
        public String five() {
            return "five";
        }
    }

    /** Not annotated: never limited. */
    @Path("/open")
    public static class Open {
        @GET
        public String get() {
            return "open";
        }
    }

    /** Keyed by client address. */
    @Path("/ip")
    @RateLimited(policy = "two")
    public static class ByIp {
        @GET
        public String get() {
            return "ip";
        }
    }

    /** Stands in for authentication: the {@code X-Login} header names the principal. */
    @Priority(Priorities.AUTHENTICATION)
    public static class FakeLogin implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String login = request.getHeaderString("X-Login");
            if (login == null) {
                return;
            }
            Principal principal = () -> login;
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return false;
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "test";
                }
            });
        }
    }
}
