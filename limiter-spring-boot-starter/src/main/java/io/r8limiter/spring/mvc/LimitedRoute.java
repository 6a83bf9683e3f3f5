package io.r8limiter.spring.mvc;

import io.r8limiter.web.RequestKeys;

/**
 * What one request is charged to: a policy, the key resolution, and the cost.
 *
 * @param policy the policy's name
 * @param keys how the request's bucket key is found
 * @param cost tokens one request takes
 * @param source where the route comes from, for messages: a controller method or a URL rule
 */
record LimitedRoute(String policy, RequestKeys keys, long cost, String source) {}
