package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.r8limiter.BucketKey;
import io.r8limiter.RateLimiter;
import io.r8limiter.spring.testapp.Http;
import io.r8limiter.spring.testapp.TestApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The endpoint, metrics and security in the test app on a real port, run once per backend by the subclasses (each
 * shares its context with the interceptor test of the same backend).
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractEndpointWebTest {

    @LocalServerPort
    int port;

    @Autowired
    RateLimiter limiter;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ApplicationContext context;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void everyOperation_needsTheAdminRole_anonymous401_user403() {
        // C19 5: reads show callers' keys, so reads are protected like writes and deletes.
        List<HttpRequest.Builder> operations = List.of(
                http.request("/actuator/ratelimit").GET(),
                http.request("/actuator/ratelimit/ops/header:x-user/u1").GET(),
                json(http.request("/actuator/ratelimit/ops"), "{\"limits\":\"1000000/1s\"}"),
                http.request("/actuator/ratelimit/ops").DELETE(),
                http.request("/actuator/ratelimit/ops/header:x-user/u1").DELETE());

        for (HttpRequest.Builder operation : operations) {
            HttpRequest anonymous = operation.copy().build();
            assertThat(http.send(anonymous).statusCode())
                    .as(anonymous.method() + " " + anonymous.uri())
                    .isEqualTo(401);
            assertThat(http.send(operation
                                    .copy()
                                    .header("Authorization", Http.basic("alice"))
                                    .build())
                            .statusCode())
                    .isEqualTo(403);
        }

        assertThat(limiter.policies().require("ops").limits().get(0).capacity()).isEqualTo(3);
    }

    @Test
    void read_listsPoliciesWithVersionAndSource_totalsAndOffenders() {
        http.get("/api/ops", "X-User", "reader");

        HttpResponse<String> response = http.getAs("admin", "/actuator/ratelimit?offenders=5");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("{\"name\":\"daily\",\"version\":0,\"source\":\"configuration\",\"shadow\":false,"
                        + "\"limits\":[{\"capacity\":3000000000,\"refillTokens\":3000000000,"
                        + "\"refillPeriodMs\":86400000}],\"compact\":\"3000000000/86400000ms\"}")
                .contains("\"totals\":{\"windowMs\":900000,")
                .contains("\"offenders\":[");
    }

    @Test
    void override_setThenRemoved_appliesToRequestsAtOnce() {
        HttpResponse<String> set =
                http.send(json(http.request("/actuator/ratelimit/ops"), "{\"limits\":\"5/1m,50/1h\"}")
                        .header("Authorization", Http.basic("admin"))
                        .build());

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.body()).contains("\"source\":\"override\"").contains("\"compact\":\"5/60000ms,50/3600000ms\"");
        HttpResponse<String> limited = http.get("/api/ops", "X-User", "override-user");
        assertThat(limited.headers().firstValue("RateLimit-Policy"))
                .hasValue("\"ops-0\";q=5;w=60, \"ops-1\";q=50;w=3600");

        HttpRequest remove = http.request("/actuator/ratelimit/ops")
                .DELETE()
                .header("Authorization", Http.basic("admin"))
                .build();
        assertThat(http.send(remove).statusCode()).isEqualTo(204);
        assertThat(http.send(remove).statusCode()).isEqualTo(404);
        assertThat(limiter.policies().require("ops").limits()).hasSize(1);
    }

    @Test
    void override_withInvalidLimits_is400_andChangesNothing() {
        for (String limits : new String[] {"0/1m", "10/0ms", "ten/1m", "10", "10/soon"}) {
            HttpResponse<String> response =
                    http.send(json(http.request("/actuator/ratelimit/ops"), "{\"limits\":\"" + limits + "\"}")
                            .header("Authorization", Http.basic("admin"))
                            .build());

            assertThat(response.statusCode()).as(limits).isEqualTo(400);
        }
        assertThat(limiter.policies().require("ops").limits().get(0).capacity()).isEqualTo(3);
    }

    @Test
    void override_withInvalidValues_answers400NamingTheFieldAndTheValue() {
        // C07: a bad value must be refused with a reason the operator can act on, never stored or answered 5xx.
        String[][] cases = {
            {"-1/1m", "capacity", "-1"},
            {"10/-1000ms", "refillPeriod", "-1000ms"},
            {"10:0/1s", "refillTokens", "0"},
            {"99999999999999999999/1m", "capacity", "99999999999999999999"},
            {"1.5/1m", "capacity", "1.5"}
        };
        for (String[] c : cases) {
            HttpResponse<String> response =
                    http.send(json(http.request("/actuator/ratelimit/ops"), "{\"limits\":\"" + c[0] + "\"}")
                            .header("Authorization", Http.basic("admin"))
                            .build());

            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(response.body()).as(c[0]).contains(c[1]).contains(c[2]);
        }
        assertThat(limiter.policies().require("ops").limits().get(0).capacity()).isEqualTo(3);
    }

    @Test
    void keyRead_showsEveryLimit_andDeleteResetsTheBucket() {
        http.get("/api/ops", "X-User", "u9");
        http.get("/api/ops", "X-User", "u9");

        HttpResponse<String> read = http.getAs("admin", "/actuator/ratelimit/ops/header:x-user/u9");
        HttpResponse<String> reset = http.send(http.request("/actuator/ratelimit/ops/header:x-user/u9")
                .DELETE()
                .header("Authorization", Http.basic("admin"))
                .build());

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body())
                .contains("\"policy\":\"ops\",\"key\":[\"header:x-user\",\"u9\"],\"remaining\":1,\"limit\":3")
                .contains("\"limits\":[{\"capacity\":3,\"refillTokens\":3,\"refillPeriodMs\":60000,\"remaining\":1,");
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(limiter.peek("ops", BucketKey.of("header:x-user", "u9")).remaining())
                .isEqualTo(3);
    }

    @Test
    void unexposedEndpoints_stayUnreachable() {
        // C19 5: the starter exposes nothing beyond what the application includes (here health and ratelimit).
        for (String path :
                new String[] {"/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump"}) {
            assertThat(http.getAs("admin", path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(http.get("/actuator/health").body())
                .contains("\"status\":\"UP\"")
                .doesNotContain("components");
    }

    @Test
    void actuatorCalls_areNeverChargedToTheLimitsTheyManage() {
        // C19 6: a rule covers /actuator/ratelimit/** with capacity 1, yet the interceptor never sees actuator
        // requests.
        for (int i = 0; i < 5; i++) {
            assertThat(http.getAs("admin", "/actuator/ratelimit").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void meters_carryOnlyBoundedTags_whateverTheNumberOfCallers() {
        // C18 1: two policies of capacity 1; distinct users over HTTP and in process; the meters must not grow.
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String user = "c18-http-" + i;
            users.add(user);
            for (int n = 0; n < 2; n++) {
                http.get("/api/ops/c18a?user_id=" + user);
                http.get("/api/ops/c18b?user_id=" + user);
            }
        }
        for (int i = 0; i < directCallers(); i++) {
            String user = "c18-direct-" + i;
            users.add(user);
            for (int n = 0; n < 2; n++) {
                limiter.tryConsume("c18a", BucketKey.of("query:user_id", user));
                limiter.tryConsume("c18b", BucketKey.of("query:user_id", user));
            }
        }

        List<Meter> meters = registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("r8limiter"))
                .toList();
        Set<String> tagValues = new HashSet<>();
        meters.forEach(m -> m.getId().getTags().stream().map(Tag::getValue).forEach(tagValues::add));

        assertThat(registry.get("r8limiter.decisions")
                        .tags("policy", "c18a", "outcome", "denied", "degraded", "false")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(100 + directCallers());
        assertThat(registry.find("r8limiter.decisions").tag("policy", "c18b").counters())
                .isNotEmpty();
        assertBackendMeters(registry);
        assertThat(meters.stream()
                        .filter(m -> m.getId().getTag("policy") == null
                                || m.getId().getTag("policy").startsWith("c18")))
                .hasSizeLessThanOrEqualTo(20);
        assertThat(tagValues).doesNotContainAnyElementsOf(users);
    }

    /** How many distinct callers the meter test sends straight to the limiter, besides 100 over HTTP. */
    abstract int directCallers();

    /** Checks the meters only the backend under test has. */
    abstract void assertBackendMeters(MeterRegistry registry);

    static HttpRequest.Builder json(HttpRequest.Builder builder, String body) {
        return builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
