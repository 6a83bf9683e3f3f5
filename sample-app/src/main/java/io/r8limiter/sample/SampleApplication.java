package io.r8limiter.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The r8limiter decision service: other programs, in any language, ask it over HTTP whether a user may spend tokens
 * now, and operators change policies, inspect buckets and read statistics through its bearer-protected admin API.
 *
 * @since 0.1
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    /** Starts the service; every setting is a Spring Boot property, given as a flag or an environment variable. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
