package io.r8limiter.sample;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} answer. Bad input is a 400 naming the
 * problem; a store that cannot answer is a 503; anything else is a 500. Neither says anything about the server (no
 * class names, stack traces or addresses): the details are logged instead.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    /** Longest detail a 400 repeats: messages from the core quote the bad value whole, however long it is. */
    static final int MAX_DETAIL = 512;

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badInput(IllegalArgumentException e) {
        String detail = e.getMessage();
        return problem(HttpStatus.BAD_REQUEST, detail == null ? null : Echo.of(detail, MAX_DETAIL));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** Tomcat refuses to decode a malformed query string (such as {@code %FF}) only when the parameters are read. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> malformedParameters(InvalidParameterException e) {
        return problem(
                HttpStatus.BAD_REQUEST, "the query string is malformed: percent-encoding must spell valid UTF-8");
    }

    /**
     * A store outage is a 503: the backend, policy store or stats could not answer an admin call (decisions never
     * fail this way: the failure mode answers them). Any other failure is a fault of the service and a 500. Neither
     * detail names a server or an exception: addresses and stack traces stay in the log.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> failed(Exception e) {
        if (StoreOutages.isOutage(e)) {
            LOG.warn("an admin call could not reach the rate limiter's store: {}", e.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "the rate limiter's store is unavailable; retry later");
        }
        LOG.error("request failed unexpectedly", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "the service failed to answer; see its log");
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return asObject(problem(HttpStatus.BAD_REQUEST, "the request body must be valid JSON"));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        HttpHeaders merged = new HttpHeaders();
        merged.addAll(headers);
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, merged, statusCode);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, @Nullable String detail) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    @SuppressWarnings("unchecked")
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity<Object>) (ResponseEntity<?>) entity;
    }
}
