package io.r8limiter.jaxrs;

import io.r8limiter.web.RequestView;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A JAX-RS request seen as a {@link RequestView}. */
final class JaxrsRequestView implements RequestView {

    private final ContainerRequestContext request;
    private final String remoteAddress;

    JaxrsRequestView(ContainerRequestContext request, String remoteAddress) {
        this.request = request;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public List<String> headers(String name) {
        List<String> values = request.getHeaders().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public @Nullable String queryParameter(String name) {
        return request.getUriInfo().getQueryParameters().getFirst(name);
    }

    @Override
    public @Nullable String principalName() {
        SecurityContext security = request.getSecurityContext();
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }
}
