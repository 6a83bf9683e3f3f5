package io.r8limiter.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * With the actuator on its own port ({@code management.server.port}), endpoints run in a child context that the
 * main context's filters never see: this puts the admin token in front of the {@code ratelimit} endpoint there too,
 * so moving the actuator off the traffic port cannot open it.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementAdminConfiguration {

    @Bean
    FilterRegistrationBean<AdminTokenFilter> managementAdminTokenFilter(
            AdminToken token, @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
        return AdminConfiguration.registration(token, actuatorBasePath);
    }
}
