package io.r8limiter.spring.mvc;

import io.r8limiter.spring.autoconfigure.RateLimiterProperties;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** The {@code r8limiter.rules} in order; the first whose pattern matches the path wins. */
final class UrlRules {

    private final List<Rule> rules;

    private UrlRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static UrlRules none() {
        return new UrlRules(List.of());
    }

    /** The rules of {@code r8limiter.rules}, each checked now. */
    static UrlRules of(RouteFactory factory, List<RateLimiterProperties.Rule> rules) {
        Builder builder = builder();
        for (int i = 0; i < rules.size(); i++) {
            RateLimiterProperties.Rule rule = rules.get(i);
            String property = "r8limiter.rules[" + i + "]";
            if (rule.getPattern() == null || rule.getPolicy() == null) {
                throw new IllegalStateException(property + " needs both a pattern and a policy");
            }
            LimitedRoute route = factory.route(property, rule.getPolicy(), rule.getKey(), rule.getCost());
            builder.add(property + ".pattern", rule.getPattern(), route);
        }
        return builder.build();
    }

    /** Starts a rule list. */
    static Builder builder() {
        return new Builder();
    }

    @Nullable
    LimitedRoute match(String path) {
        if (rules.isEmpty()) {
            return null;
        }
        PathContainer container = PathContainer.parsePath(path);
        for (Rule rule : rules) {
            if (rule.pattern().matches(container)) {
                return rule.route();
            }
        }
        return null;
    }

    private record Rule(PathPattern pattern, LimitedRoute route) {}

    /** Collects rules in order. */
    static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        /**
         * Adds a rule.
         *
         * @throws IllegalStateException naming {@code property} when the pattern is not a valid path pattern
         */
        Builder add(String property, String pattern, LimitedRoute route) {
            try {
                rules.add(new Rule(PathPatternParser.defaultInstance.parse(pattern), route));
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        property + " '" + pattern + "' is not a valid path pattern: " + e.getMessage(), e);
            }
            return this;
        }

        UrlRules build() {
            return new UrlRules(rules);
        }
    }
}
