package io.r8limiter.sample;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The decision service on a random port, in memory, with the admin token {@code SECRET} and the default policy of
 * the cases: capacity 3, refilling 3 per 60,000 ms. Test classes sharing it share one running application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "r8limiter.admin.token=" + Api.TOKEN,
            "r8limiter.policies.default.limits[0].capacity=3",
            "r8limiter.policies.default.limits[0].refill-tokens=3",
            "r8limiter.policies.default.limits[0].refill-period=60s",
            "r8limiter.policies.r2.limits[0].capacity=10",
            "r8limiter.policies.r2.limits[0].refill-tokens=10",
            "r8limiter.policies.r2.limits[0].refill-period=60s"
        })
@interface DecisionServiceTest {}
