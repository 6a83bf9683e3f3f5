package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.PolicyStore;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Maps what a caller names (a user and a resource) onto r8limiter's terms: the policy that decides and the bucket
 * key. A resource is decided by the policy of the same name if one is in force, else by the {@value #DEFAULT}
 * policy; the bucket key is the pair (user_id, resource), so resources sharing the default policy still have
 * separate buckets.
 */
@Component
class Resources {

    /** The policy deciding resources without their own, and the resource assumed when none is named. */
    static final String DEFAULT = "default";

    private final PolicyStore policies;

    Resources(PolicyStore policies) {
        this.policies = policies;
    }

    /** The resource named in a request, or {@value #DEFAULT} when absent. */
    static String resourceOrDefault(@Nullable String resource) {
        return resource == null ? DEFAULT : resource;
    }

    private String policyFor(String resource) {
        return policies.find(resource).isPresent() ? resource : DEFAULT;
    }

    /**
     * Runs {@code call} with the name of the policy that decides {@code resource}. The limiter looks the policy up
     * again, so an override removed between the choice and the call would fail as an unknown policy; the resource is
     * then decided by the default policy, as it is from that moment on.
     */
    <T> T withPolicy(String resource, Function<String, T> call) {
        String policy = policyFor(resource);
        try {
            return call.apply(policy);
        } catch (IllegalArgumentException e) {
            if (policy.equals(DEFAULT) || policies.find(policy).isPresent()) {
                throw e;
            }
            return call.apply(DEFAULT);
        }
    }

    /**
     * The bucket key of a user on a resource.
     *
     * @throws IllegalArgumentException if {@code user_id} is missing or blank, or either part is too long
     */
    static BucketKey key(@Nullable String userId, String resource) {
        if (userId == null) {
            throw new IllegalArgumentException("user_id is required");
        }
        return BucketKey.builder()
                .part("user_id", userId)
                .part("resource", resource)
                .build();
    }
}
