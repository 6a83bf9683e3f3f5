package io.r8limiter.sample;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** One running decision service shared by its subclasses; every test leaves the configured policies in force. */
@DecisionServiceTest
abstract class ServiceTestBase {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
        api.removeOverrides();
    }

    @AfterEach
    void restorePolicies() {
        api.removeOverrides();
    }

    /** A user id no other test uses, so its buckets start full. */
    static String freshUser(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
