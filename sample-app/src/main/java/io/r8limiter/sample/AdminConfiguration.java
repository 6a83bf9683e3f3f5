package io.r8limiter.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Guards the admin API. The token comes from {@code r8limiter.admin.token} (or {@code R8LIMITER_ADMIN_TOKEN}); when
 * none is set, a random one is generated and logged once at startup, so the admin API is never open.
 */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AdminConfiguration.class);

    @Bean
    AdminToken adminToken(@Value("${r8limiter.admin.token:}") String configured) {
        if (!configured.isEmpty()) {
            return AdminToken.of(configured);
        }
        String generated = AdminToken.generate();
        LOG.warn(
                "no r8limiter.admin.token set: the admin API needs 'Authorization: Bearer {}' for this run only; "
                        + "set r8limiter.admin.token (or R8LIMITER_ADMIN_TOKEN) to choose one",
                generated);
        return AdminToken.of(generated);
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(
            AdminToken token, @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
        return registration(token, actuatorBasePath);
    }

    /** The token filter on every path of a servlet context; the filter itself picks the paths it guards. */
    static FilterRegistrationBean<AdminTokenFilter> registration(AdminToken token, String actuatorBasePath) {
        FilterRegistrationBean<AdminTokenFilter> registration =
                new FilterRegistrationBean<>(new AdminTokenFilter(token, actuatorBasePath));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
