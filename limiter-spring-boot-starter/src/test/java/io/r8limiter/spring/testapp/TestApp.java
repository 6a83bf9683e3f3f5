package io.r8limiter.spring.testapp;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimited;
import io.r8limiter.memory.MemoryBackend;
import java.util.concurrent.Callable;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application as a starter user writes it: annotated controllers, URL rules in {@code
 * application-webapp.yml}, and its own security chain (the starter brings none). HTTP Basic with plain-text passwords
 * keeps requests fast: {@code alice}, {@code bob} and {@code carol} are plain users, {@code admin} has role ADMIN,
 * {@code ops} role OPS.
 */
@SpringBootApplication
public class TestApp {

    /** A frozen clock: the machine may be slow, and no test here wants refill to happen behind its back. */
    @Bean
    ManualClock clock() {
        return new ManualClock();
    }

    /** The starter's memory backend backs off in favour of this one, on the test's clock. */
    @Bean
    @ConditionalOnProperty(name = "r8limiter.backend", havingValue = "memory", matchIfMissing = true)
    RateLimitBackend memoryBackend(ManualClock clock) {
        return MemoryBackend.builder().time(clock).build();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /**
     * Users built afresh per lookup. Not an {@code InMemoryUserDetailsManager}: that one also upgrades {@code {noop}}
     * passwords to bcrypt after the first login, which makes every later request slow.
     */
    @Bean
    UserDetailsService users() {
        return name -> switch (name) {
            case "alice", "bob", "carol" ->
                User.withUsername(name).password("{noop}pw").roles("USER").build();
            case "admin" ->
                User.withUsername(name).password("{noop}pw").roles("ADMIN").build();
            case "ops" ->
                User.withUsername(name).password("{noop}pw").roles("OPS").build();
            default -> throw new UsernameNotFoundException(name);
        };
    }

    /** C02 C: the class-level policy, a method that overrides it, and a method that inherits it. */
    @RestController
    @RequestMapping("/api/c02")
    @RateLimited(policy = "cls", key = "principal")
    static class StackedController {

        @GetMapping("/m1")
        @RateLimited(policy = "meth", key = "principal")
        String m1() {
            return "m1";
        }

        @GetMapping("/m2")
        String m2() {
            return "m2";
        }
    }

    /** C09 g: two methods with different policies keyed by the same principal. */
    @RestController
    @RequestMapping("/api/c09")
    static class TwoPolicyController {

        @GetMapping("/three")
        @RateLimited(policy = "three", key = "principal")
        String three() {
            return "three";
        }

        @GetMapping("/five")
        @RateLimited(policy = "five", key = "principal")
        String five() {
            return "five";
        }
    }

    /** Keys by address, header, SpEL; slow and huge quotas (C08); the C17 SpEL client-IP key. */
    @RestController
    @RequestMapping("/api/keys")
    static class KeyController {

        @GetMapping("/slow")
        @RateLimited(policy = "slow")
        String slow() {
            return "slow";
        }

        @GetMapping("/daily")
        @RateLimited(policy = "daily", key = "header:X-User")
        String daily() {
            return "daily";
        }

        @GetMapping("/client-ip")
        @RateLimited(policy = "ip2", key = "spel:ip")
        String clientIp() {
            return "ip";
        }

        /** Completes on another thread, so the request is dispatched a second time (ASYNC). */
        @GetMapping("/async")
        @RateLimited(policy = "five", key = "header:X-User")
        Callable<String> async() {
            return () -> "async";
        }

        @GetMapping("/api-key/{tenant}")
        @RateLimited(policy = "spel", key = "spel:header['X-Api-Key'] ?: pathVariables['tenant']")
        String apiKey(@PathVariable String tenant) {
            return tenant;
        }
    }

    /** Limits that operators change and reset through the actuator endpoint; C18's two policies. */
    @RestController
    @RequestMapping("/api/ops")
    static class OpsController {

        @GetMapping
        @RateLimited(policy = "ops", key = "header:X-User")
        String ops() {
            return "ops";
        }

        @GetMapping("/c18a")
        @RateLimited(policy = "c18a", key = "query:user_id")
        String c18a() {
            return "a";
        }

        @GetMapping("/c18b")
        @RateLimited(policy = "c18b", key = "query:user_id")
        String c18b() {
            return "b";
        }
    }

    /** Paths without annotations, limited only by URL rules. */
    @RestController
    static class PlainController {

        @GetMapping("/api/plain")
        String plain() {
            return "plain";
        }

        @GetMapping("/rules/costly")
        String costly() {
            return "costly";
        }

        @GetMapping("/free")
        String free() {
            return "free";
        }

        /** Fails, so the container forwards to the error path, which a URL rule also covers. */
        @GetMapping("/rules/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }
    }
}
