package io.r8limiter.spring.actuate;

import io.r8limiter.spring.actuate.RateLimitDescriptors.KeyDescriptor;
import io.r8limiter.spring.actuate.RateLimitDescriptors.PolicyDescriptor;
import io.r8limiter.spring.actuate.RateLimitDescriptors.ProblemDescriptor;
import io.r8limiter.spring.actuate.RateLimitDescriptors.Summary;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code ratelimit} endpoint over HTTP, with every operation (reads included, since they show callers' keys)
 * restricted to one role when Spring Security is present: 401 without an authenticated principal, 403 without the
 * role ({@code r8limiter.endpoint.role}, {@code ADMIN} by default).
 *
 * <p>Each operation mirrors one of the endpoint's with the same path and produced media types, so that it replaces
 * it on the web rather than standing beside it. The check reads the request's security context, which Spring
 * Security fills in; the starter adds no {@code SecurityFilterChain} of its own, so the application's chain decides
 * how callers authenticate (and may restrict the endpoint further). Without Spring Security on the classpath no check
 * is made: keep the endpoint off the web exposure (Boot's default) or protect the management port.
 *
 * @since 0.1
 */
@EndpointWebExtension(endpoint = RateLimitEndpoint.class)
public class RateLimitEndpointWebExtension {

    private final RateLimitEndpoint endpoint;
    private final @Nullable String role;

    /**
     * An extension of {@code endpoint}.
     *
     * @param role the role every operation requires, or null to require none
     */
    public RateLimitEndpointWebExtension(RateLimitEndpoint endpoint, @Nullable String role) {
        this.endpoint = endpoint;
        this.role = role;
    }

    /** See {@link RateLimitEndpoint#summary}. */
    @ReadOperation
    public WebEndpointResponse<Summary> summary(SecurityContext security, @Nullable Integer offenders) {
        return guarded(security, () -> new WebEndpointResponse<>(endpoint.summary(offenders)));
    }

    /** See {@link RateLimitEndpoint#key}: a {@link KeyDescriptor}, or a 400 problem for a bad key. */
    @ReadOperation
    public WebEndpointResponse<Object> key(
            SecurityContext security, @Selector String policy, @Selector(match = Match.ALL_REMAINING) String[] key) {
        return checked(security, () -> endpoint.key(policy, key));
    }

    /**
     * See {@link RateLimitEndpoint#setOverride}: the {@link PolicyDescriptor} now in force, or a 400 problem whose
     * detail names the bad field and value, such as {@code capacity must be positive but was -1}.
     */
    @WriteOperation
    public WebEndpointResponse<Object> setOverride(
            SecurityContext security, @Selector String policy, String limits, @Nullable Boolean shadow) {
        return checked(security, () -> endpoint.setOverride(policy, limits, shadow));
    }

    /** See {@link RateLimitEndpoint#removeOverride}: 204 when an override was removed, 404 when there was none. */
    @DeleteOperation
    public WebEndpointResponse<Void> removeOverride(SecurityContext security, @Selector String policy) {
        return guarded(
                security,
                () -> new WebEndpointResponse<>(
                        endpoint.removeOverride(policy)
                                ? WebEndpointResponse.STATUS_NO_CONTENT
                                : WebEndpointResponse.STATUS_NOT_FOUND));
    }

    /** See {@link RateLimitEndpoint#reset}: 204, or a 400 problem for a bad key. */
    @DeleteOperation
    public WebEndpointResponse<Object> reset(
            SecurityContext security, @Selector String policy, @Selector(match = Match.ALL_REMAINING) String[] key) {
        return guarded(security, () -> {
            try {
                endpoint.reset(policy, key);
                return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
            } catch (InvalidEndpointRequestException e) {
                return badRequest(e);
            }
        });
    }

    /**
     * Answers {@code action}'s result with 200, or its bad input with a 400 problem: Boot's own answer to an
     * {@link InvalidEndpointRequestException} has no body saying what was wrong.
     */
    private WebEndpointResponse<Object> checked(SecurityContext security, Supplier<Object> action) {
        return guarded(security, () -> {
            try {
                return new WebEndpointResponse<>(action.get());
            } catch (InvalidEndpointRequestException e) {
                return badRequest(e);
            }
        });
    }

    private static WebEndpointResponse<Object> badRequest(InvalidEndpointRequestException e) {
        return new WebEndpointResponse<>(
                ProblemDescriptor.badRequest(e.getReason()), WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    private <T> WebEndpointResponse<T> guarded(SecurityContext security, Supplier<WebEndpointResponse<T>> action) {
        if (role != null) {
            if (security.getPrincipal() == null) {
                return new WebEndpointResponse<>(401);
            }
            if (!security.isUserInRole(role)) {
                return new WebEndpointResponse<>(403);
            }
        }
        return action.get();
    }
}
