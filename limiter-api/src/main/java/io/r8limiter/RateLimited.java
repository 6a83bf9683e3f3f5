package io.r8limiter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits a web endpoint: a JAX-RS resource or a Spring MVC controller, on the class or on a method (the method's
 * annotation wins).
 *
 * <p>The key uses one syntax shared with the servlet filter's init-params and the Spring properties: {@code ip} (the
 * client address, honouring forwarding headers only from trusted proxies), {@code header:NAME}, {@code query:NAME},
 * {@code principal}, or {@code class:FQCN} for a custom resolver.
 *
 * @since 0.1
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {

    /** The policy's name. */
    String policy();

    /** Which part of the request identifies the caller; see the type's documentation. */
    String key() default "ip";

    /** Tokens one request takes. */
    long cost() default 1;
}
