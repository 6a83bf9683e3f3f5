package io.r8limiter.spring.mvc;

import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.KeyResolver;
import io.r8limiter.web.KeySpec;
import io.r8limiter.web.RequestView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import org.springframework.web.servlet.HandlerMapping;

/**
 * A key given as a SpEL expression ({@code spel:EXPR}) over a {@link SpelKeyContext}, evaluated in a
 * {@link SimpleEvaluationContext} for read-only data binding: properties and map entries may be read, but there are
 * no type references, no bean references, no constructors, no assignments and no method calls, so configuration
 * cannot become code execution.
 *
 * <p>The expression is parsed and tried once at startup against a request where every header, parameter and the
 * principal are present, so a syntax error, a forbidden construct or a result that is not text fails startup. At
 * request time an expression that fails counts as a missing key. Thread-safe.
 */
final class SpelKey implements KeyResolver {

    /** The key-syntax prefix of an expression. */
    static final String PREFIX = "spel:";

    private static final Logger LOG = LoggerFactory.getLogger(SpelKey.class);
    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    private final String text;
    private final Expression expression;
    private final ClientIpResolver ips;

    private SpelKey(String text, Expression expression, ClientIpResolver ips) {
        this.text = text;
        this.expression = expression;
        this.ips = ips;
    }

    /** Whether {@code key} is written in the SpEL form. */
    static boolean isSpel(String key) {
        return key.trim().startsWith(PREFIX);
    }

    /**
     * The key spec of {@code key} ({@code spel:EXPR}); its bucket namespace is {@code custom:spel:EXPR} for short
     * expressions and {@code custom:spel#HASH} for long ones.
     *
     * @throws IllegalArgumentException naming the expression and what is wrong with it
     */
    static KeySpec spec(String key, ClientIpResolver ips) {
        String text = key.trim().substring(PREFIX.length()).trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("key '" + key + "' needs an expression after spel:");
        }
        Expression expression;
        try {
            expression = PARSER.parseExpression(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("key '" + key + "' is not a valid SpEL expression: " + e.getMessage());
        }
        SpelKey resolver = new SpelKey(text, expression, ips);
        resolver.dryRun();
        return KeySpec.custom(id(text), resolver);
    }

    @Override
    public @Nullable String resolve(RequestView request) {
        try {
            return evaluate(context(request));
        } catch (EvaluationException | IllegalArgumentException e) {
            LOG.debug("key expression {} failed; treating the key as missing", text, e);
            return null;
        }
    }

    private @Nullable String evaluate(SpelKeyContext root) {
        EvaluationContext context =
                SimpleEvaluationContext.forReadOnlyDataBinding().build();
        Object value = expression.getValue(context, root);
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("key expression '" + text + "' must yield text but yielded a "
                + value.getClass().getSimpleName());
    }

    private SpelKeyContext context(RequestView request) {
        if (request instanceof ServletRequestView servlet) {
            @SuppressWarnings("unchecked")
            Map<String, String> variables = (Map<String, String>)
                    servlet.request().getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
            return new SpelKeyContext(
                    request,
                    ips,
                    servlet.request().getMethod(),
                    servlet.pathWithinApplication(),
                    variables != null ? variables : Map.of());
        }
        return new SpelKeyContext(request, ips, "GET", "/", Map.of());
    }

    private void dryRun() {
        try {
            evaluate(new SpelKeyContext(DryRunRequest.INSTANCE, ips, "GET", "/", Map.of()));
        } catch (EvaluationException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "key 'spel:" + text + "' cannot be evaluated: " + e.getMessage() + " (a key expression may read"
                            + " ip, principal, method, path, header['Name'], query['name'] and pathVariables['id'],"
                            + " but not call methods or reference types or beans)");
        }
    }

    private static String id(String text) {
        boolean printable = text.length() <= 64 && text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        return printable ? PREFIX + text : "spel#" + sha256(text).substring(0, 16);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** A request that has every header, parameter and a principal, for the startup check. */
    private enum DryRunRequest implements RequestView {
        INSTANCE;

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public List<String> headers(String name) {
            return List.of("dry-run");
        }

        @Override
        public String queryParameter(String name) {
            return "dry-run";
        }

        @Override
        public String principalName() {
            return "dry-run";
        }
    }
}
