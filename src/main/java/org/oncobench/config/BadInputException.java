package org.oncobench.config;

/**
 * A mistake in what the user gave us (arguments, experiment file, data, bundle). The CLI prints the
 * message without a stack trace and exits with code 2. Messages name the file, key or line and say
 * what is allowed.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
