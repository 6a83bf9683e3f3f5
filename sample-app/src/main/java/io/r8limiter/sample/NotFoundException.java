package io.r8limiter.sample;

/** Something the caller named does not exist; answered with 404 and a problem body. */
final class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
        super(message, null, false, false);
    }
}
