package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Policy;
import io.r8limiter.PolicyStore;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/policy}: lists the policies in force and sets or removes runtime overrides, which win over the
 * configured policies until removed. A change keeps every bucket's deficit and applies to the next decision.
 */
@RestController
@RequestMapping(path = "/admin/policy", produces = "application/json")
class PolicyController {

    private final PolicyStore policies;

    PolicyController(PolicyStore policies) {
        this.policies = policies;
    }

    @GetMapping
    List<PolicyView> list() {
        return policies.list().stream().map(PolicyView::of).toList();
    }

    @PutMapping(consumes = "application/json")
    PolicyView put(@RequestBody JsonNode body) {
        Policy policy = PolicyBodies.parse(body);
        return PolicyView.of(policies.putOverride(policy));
    }

    @DeleteMapping
    ResponseEntity<Void> remove(HttpServletRequest request) {
        String name = Resources.resourceOrDefault(SingleParameters.get(request, "resource"));
        // a resource that /allow would refuse is bad input here too, not a resource without an override
        BucketKey.checkPart("resource", name);
        if (!policies.removeOverride(name)) {
            throw new NotFoundException("resource '" + Echo.of(name, 64) + "' has no policy override");
        }
        return ResponseEntity.noContent().build();
    }
}
