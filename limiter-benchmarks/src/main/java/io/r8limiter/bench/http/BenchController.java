package io.r8limiter.bench.http;

import io.r8limiter.RateLimited;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The two endpoints of {@link SpringBenchApp}: one handler body, once without and once with the limiter. */
@RestController
class BenchController {

    static final String BODY = "ok";

    @GetMapping(path = "/bare", produces = "text/plain")
    String bare() {
        return BODY;
    }

    @RateLimited(policy = BenchPolicy.NAME, key = BenchPolicy.KEY)
    @GetMapping(path = "/limited", produces = "text/plain")
    String limited() {
        return BODY;
    }
}
