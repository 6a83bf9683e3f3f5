package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.sample.Api.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /admin/policy}: listing, runtime overrides and their removal, and the values it refuses. */
class PolicyAdminTest extends ServiceTestBase {

    @Test
    void list_showsConfiguredPoliciesWithVersionAndSource() {
        Answer list = api.admin("GET", "/admin/policy");

        assertThat(list.status()).isEqualTo(200);
        JsonNode def = find(list.json(), "default");
        assertThat(def.path("resource").isNull()).isTrue();
        assertThat(def.path("capacity").longValue()).isEqualTo(3);
        assertThat(def.path("refill_tokens").longValue()).isEqualTo(3);
        assertThat(def.path("refill_period_ms").longValue()).isEqualTo(60_000);
        assertThat(def.path("version").longValue()).isZero();
        assertThat(def.path("source").stringValue()).isEqualTo("configuration");
    }

    @Test
    void put_replacesThePolicyAndReturnsIt() {
        Answer put = api.putPolicy("search", 7, 7, 1_000);

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("resource").stringValue()).isEqualTo("search");
        assertThat(put.json().path("capacity").longValue()).isEqualTo(7);
        assertThat(put.json().path("refill_period_ms").longValue()).isEqualTo(1_000);
        assertThat(put.json().path("source").stringValue()).isEqualTo("override");
        assertThat(put.json().path("version").longValue()).isPositive();
        assertThat(api.allow(freshUser("u"), "search").limit()).isEqualTo(7);
        assertThat(find(api.admin("GET", "/admin/policy").json(), "search")
                        .path("version")
                        .longValue())
                .isEqualTo(put.json().path("version").longValue());
    }

    @Test
    void put_withNullResource_replacesTheDefaultPolicy() {
        Answer put = api.putPolicy(null, 4, 4, 60_000);

        assertThat(put.json().path("resource").isNull()).isTrue();
        assertThat(put.json().path("name").stringValue()).isEqualTo("default");
        assertThat(api.allow(freshUser("u"), "anything").limit()).isEqualTo(4);
    }

    @Test
    void put_withSeveralLimits_enforcesTheTightest() {
        Answer put = api.admin(
                "PUT",
                "/admin/policy",
                "{\"resource\":\"burst\",\"limits\":[{\"capacity\":2,\"refill_tokens\":2,\"refill_period_ms\":1000},"
                        + "{\"capacity\":100,\"refill_tokens\":100,\"refill_period_ms\":3600000}]}");
        String user = freshUser("u");

        Answer first = api.allow(user, "burst");
        Answer tokens = api.admin("GET", "/admin/tokens?user_id=" + Api.enc(user) + "&resource=burst");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("limits")).hasSize(2);
        assertThat(put.json().has("capacity")).isFalse();
        assertThat(first.limit()).isEqualTo(2);
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(tokens.json().path("limits")).hasSize(2);
        assertThat(tokens.json().path("limits").get(1).path("remaining").longValue())
                .isEqualTo(99);
    }

    @Test
    void delete_removesTheOverride() {
        api.putPolicy("search", 7, 7, 1_000);

        Answer removed = api.admin("DELETE", "/admin/policy?resource=search");
        Answer again = api.admin("DELETE", "/admin/policy?resource=search");

        assertThat(removed.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.contentType()).isEqualTo("application/problem+json");
        assertThat(api.allow(freshUser("u"), "search").limit()).isEqualTo(3);
    }

    @Test
    void put_withoutAResourceField_replacesTheDefaultPolicy() {
        Answer put =
                api.admin("PUT", "/admin/policy", "{\"capacity\":6,\"refill_tokens\":6,\"refill_period_ms\":60000}");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("name").stringValue()).isEqualTo("default");
        assertThat(api.allow(freshUser("u"), "anything").limit()).isEqualTo(6);
    }

    @Test
    void put_ofAPolicyAsGetListsIt_withBothForms_isTakenAsIs() {
        JsonNode listed = api.putPolicy("search", 7, 7, 1_000).json();

        Answer again = api.admin("PUT", "/admin/policy", listed.toString());

        assertThat(again.status()).as(listed.toString()).isEqualTo(200);
        assertThat(again.json().path("capacity").longValue()).isEqualTo(7);
        assertThat(again.json().path("limits")).hasSize(1);
    }

    @Test
    void put_whoseFlatFieldsAndLimitsDisagree_isRefusedAndTheOldPolicyStays() {
        api.putPolicy("r1", 5, 5, 60_000);
        String limit = "{\"capacity\":9,\"refill_tokens\":9,\"refill_period_ms\":1000}";
        String[] bodies = {
            "{\"resource\":\"r1\",\"capacity\":10,\"refill_tokens\":10,\"refill_period_ms\":60000," + "\"limits\":["
                    + limit + "]}",
            "{\"resource\":\"r1\",\"capacity\":9,\"refill_tokens\":9,\"refill_period_ms\":1000," + "\"limits\":["
                    + limit + "," + limit + "]}",
            "{\"resource\":\"r1\",\"capacity\":9,\"limits\":[" + limit + "]}"
        };

        for (String json : bodies) {
            Answer put = api.admin("PUT", "/admin/policy", json);

            assertThat(put.status()).as(json).isEqualTo(400);
            assertThat(put.contentType()).as(json).isEqualTo("application/problem+json");
            assertThat(put.detail()).as(json).containsAnyOf("describe one limit and limits another", "is required");
            assertThat(find(api.admin("GET", "/admin/policy").json(), "r1")
                            .path("capacity")
                            .longValue())
                    .isEqualTo(5);
        }
    }

    @Test
    void delete_ofABlankResource_isBadInputNotAMissingOverride() {
        Answer blank = api.admin("DELETE", "/admin/policy?resource=%20");
        Answer empty = api.admin("DELETE", "/admin/policy?resource=");

        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.detail()).isEqualTo("resource must not be blank");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.detail()).isEqualTo("resource must not be blank");
    }

    // C07: a policy that would mean "unlimited" or nonsense waits is refused up front and changes nothing.
    @Test
    void invalidPolicyValues_areRefusedAndTheOldPolicyStays() {
        api.putPolicy("r1", 5, 5, 60_000);
        // field named in the error, the value it must show, then the body's capacity, refill_tokens, refill_period_ms
        String[][] bodies = {
            {"capacity", "0", "0", "10", "1000"},
            {"refill_tokens", "0", "10", "0", "1000"},
            {"refill_period_ms", "0", "10", "10", "0"},
            {"capacity", "-1", "-1", "10", "1000"},
            {"refill_period_ms", "-1000", "10", "10", "-1000"},
            {"capacity", "99999999999999999999", "99999999999999999999", "10", "1000"},
            {"capacity", "ten", "\"ten\"", "10", "1000"},
            {"capacity", "1.5", "1.5", "10", "1000"},
            {"capacity", "required", null, "10", "1000"}
        };

        for (String[] b : bodies) {
            String json = "{\"resource\":\"r1\"" + field("capacity", b[2]) + field("refill_tokens", b[3])
                    + field("refill_period_ms", b[4]) + "}";
            Answer put = api.admin("PUT", "/admin/policy", json);

            assertThat(put.status()).as(json).isEqualTo(400);
            assertThat(put.contentType()).as(json).isEqualTo("application/problem+json");
            assertThat(put.detail()).as(json).startsWith(b[0] + " ").contains(b[1]);
            assertThat(find(api.admin("GET", "/admin/policy").json(), "r1")
                            .path("capacity")
                            .longValue())
                    .isEqualTo(5);
            assertFiveOfTwentyAllowed(freshUser("c07"));
        }
    }

    // C07/C08: values inside 64 bits but beyond the core's bounds were refused with the core's Java names
    // (refillTokens, refillPeriod), which a caller of the JSON API cannot map to a field it sent.
    @Test
    void valuesBeyondTheCoresBounds_areRefusedNamingTheJsonFields() {
        api.putPolicy("r1", 5, 5, 60_000);
        // capacity, refill_tokens, refill_period_ms, then what the detail must start with and contain
        String[][] cases = {
            {"1000000000000001", "10", "1000", "capacity must be at most 1000000000000000", "1000000000000001"},
            {"9223372036854775807", "10", "1000", "capacity must be at most", "9223372036854775807"},
            {
                "10",
                "9223372036854775807",
                "1000",
                "refill_tokens must be at most 9007199254740991",
                "9223372036854775807"
            },
            {"10", "9007199254740992", "2592000000", "refill_tokens must be at most", "9007199254740992"},
            {"1000000000000000", "7", "2592000000", "capacity 1000000000000000, refill_tokens 7", "refill_period_ms"},
            {"10", "99999999999999999999", "1000", "refill_tokens must be a positive integer", "99999999999999999999"},
            {"10", "10", "99999999999999999999", "refill_period_ms must be a positive integer", "99999999999999999999"}
        };

        for (String[] c : cases) {
            String json = "{\"resource\":\"r1\",\"capacity\":" + c[0] + ",\"refill_tokens\":" + c[1]
                    + ",\"refill_period_ms\":" + c[2] + "}";
            Answer put = api.admin("PUT", "/admin/policy", json);

            assertThat(put.status()).as(json).isEqualTo(400);
            assertThat(put.contentType()).isEqualTo("application/problem+json");
            assertThat(put.detail())
                    .as(json)
                    .startsWith(c[3])
                    .contains(c[4])
                    .doesNotContain("refillTokens")
                    .doesNotContain("refillPeriod");
        }
        assertThat(find(api.admin("GET", "/admin/policy").json(), "r1")
                        .path("capacity")
                        .longValue())
                .isEqualTo(5);
    }

    @Test
    void inexactLimitInAList_isNamedByItsIndex() {
        Answer put = api.admin(
                "PUT",
                "/admin/policy",
                "{\"resource\":\"r1\",\"limits\":[{\"capacity\":2,\"refill_tokens\":2,\"refill_period_ms\":1000},"
                        + "{\"capacity\":1000000000000000,\"refill_tokens\":7,\"refill_period_ms\":2592000000}]}");

        assertThat(put.status()).isEqualTo(400);
        assertThat(put.detail())
                .startsWith("limits[1].capacity 1000000000000000, limits[1].refill_tokens 7 and "
                        + "limits[1].refill_period_ms 2592000000 cannot be counted exactly");
    }

    @Test
    void resourceNames_areBoundedAsIn_allow() {
        String smile = "\uD83D\uDE00";

        Answer overBytes = api.putPolicy("r".repeat(257), 5, 5, 60_000);
        Answer overBytesWide = api.putPolicy(smile.repeat(65), 5, 5, 60_000);
        Answer blank = api.putPolicy("  ", 5, 5, 60_000);
        Answer fits = api.putPolicy(smile.repeat(64), 5, 5, 60_000);

        assertThat(overBytes.status()).isEqualTo(400);
        assertThat(overBytes.detail()).isEqualTo("resource must be at most 256 UTF-8 bytes but was 257 bytes");
        assertThat(overBytesWide.detail()).isEqualTo("resource must be at most 256 UTF-8 bytes but was 260 bytes");
        assertThat(blank.detail()).isEqualTo("resource must not be blank");
        assertThat(fits.status()).isEqualTo(200);
        assertThat(api.allow(freshUser("u"), smile.repeat(64)).limit()).isEqualTo(5);
    }

    // /allow takes resources up to 256 UTF-8 bytes; a policy name of 129 to 256 bytes used to be refused, so such a
    // resource could be decided but never given a policy of its own.
    @Test
    void aResourceOfTheLongestAllowedName_getsItsOwnPolicy() {
        String resource = "r".repeat(BucketKey.MAX_PART_BYTES);

        Answer put = api.putPolicy(resource, 5, 5, 60_000);

        assertThat(put.status()).isEqualTo(200);
        assertThat(api.allow(freshUser("u"), resource).limit()).isEqualTo(5);
    }

    @Test
    void malformedOrWrongBodies_areProblems() {
        for (String json : List.of(
                "{\"resource\":\"r1\",",
                "[]",
                "\"x\"",
                "{\"resource\":5,\"capacity\":1}",
                "{\"limits\":[]}",
                "{\"limits\":[7]}",
                "{\"capacity\":1e3,\"refill_tokens\":1,\"refill_period_ms\":1}",
                "{\"capacity\":1,\"refill_tokens\":1,\"refill_period_ms\":2592000001}")) {
            Answer put = api.admin("PUT", "/admin/policy", json);

            assertThat(put.status()).as(json).isEqualTo(400);
            assertThat(put.contentType()).as(json).isEqualTo("application/problem+json");
            assertThat(put.detail()).as(json).isNotBlank();
        }
        assertThat(api.admin("PUT", "/admin/policy", "{\"resource\":\"r1\",").detail())
                .isEqualTo("the request body must be valid JSON");
    }

    // Deleting an override while requests for its resource are in flight never turns a valid request into a 400:
    // each is decided by the override or, once it is gone, by the default (ResourcesTest forces the narrow race).
    @Test
    void overrideDeletedUnderTraffic_neverFailsAValidRequest() throws Exception {
        String resource = "racy-" + UUID.randomUUID();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Answer>>> clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            clients.add(pool.submit(() -> {
                List<Answer> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String user = Api.enc(freshUser("u"));
                    answers.add(api.allow(user, resource));
                    answers.add(api.admin("GET", "/admin/tokens?user_id=" + user + "&resource=" + resource));
                }
                return answers;
            }));
        }
        Future<Integer> toggles = pool.submit(() -> {
            int n = 0;
            while (!done.get()) {
                api.putPolicy(resource, 7, 7, 60_000);
                api.admin("DELETE", "/admin/policy?resource=" + resource);
                n++;
            }
            return n;
        });

        List<Answer> answers = new ArrayList<>();
        for (Future<List<Answer>> f : clients) {
            answers.addAll(f.get(60, TimeUnit.SECONDS));
        }
        done.set(true);
        int cycles = toggles.get(10, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(cycles).isPositive();
        assertThat(answers)
                .hasSize(1_200)
                .allSatisfy(a -> assertThat(a.status()).as("%s", a).isEqualTo(200));
        assertThat(answers).extracting(Answer::limit).containsOnly(3L, 7L);
    }

    private void assertFiveOfTwentyAllowed(String user) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(api.allow(user, "r1"));
        }
        assertThat(answers.stream().filter(Answer::allowed).map(Answer::remaining))
                .containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(answers.subList(5, 20)).allSatisfy(a -> {
            assertThat(a.allowed()).isFalse();
            assertThat(a.retryAfter()).isBetween(1L, 12_000L);
        });
    }

    private static String field(String name, String value) {
        return value == null ? "" : ",\"" + name + "\":" + value;
    }

    static JsonNode find(JsonNode list, String name) {
        return StreamSupport.stream(list.spliterator(), false)
                .filter(p -> p.path("name").stringValue().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
