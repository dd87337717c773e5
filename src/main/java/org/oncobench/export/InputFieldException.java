package org.oncobench.export;

import org.oncobench.config.BadInputException;

/** A prediction input that is wrong, naming which request and which field (e.g. {@code sample.expression}). */
public final class InputFieldException extends BadInputException {
    private final int request;
    private final String field;

    public InputFieldException(int request, String field, String message) {
        super(message);
        this.request = request;
        this.field = field;
    }

    public int request() {
        return request;
    }

    public String field() {
        return field;
    }
}
