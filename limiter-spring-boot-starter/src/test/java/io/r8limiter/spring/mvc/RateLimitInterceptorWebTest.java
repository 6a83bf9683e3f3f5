package io.r8limiter.spring.mvc;

import org.springframework.test.context.ActiveProfiles;

/** The interceptor tests on the in-memory backend, with the test app's frozen clock. */
@ActiveProfiles("webapp")
class RateLimitInterceptorWebTest extends AbstractInterceptorWebTest {}
