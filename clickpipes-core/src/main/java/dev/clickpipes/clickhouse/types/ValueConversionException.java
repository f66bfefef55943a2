package dev.clickpipes.clickhouse.types;

import dev.clickpipes.core.ErrorKind;
import dev.clickpipes.core.spi.DecodeException;

/** A value that cannot be converted to its column's type; the message names column, value and type. */
public class ValueConversionException extends DecodeException {

    /** Creates the exception with a message that names the column, the value and the type. */
    public ValueConversionException(String message) {
        super(ErrorKind.TYPE_CONVERSION_ERROR, message);
    }

    /** Creates the exception with its cause. */
    public ValueConversionException(String message, Throwable cause) {
        super(ErrorKind.TYPE_CONVERSION_ERROR, message, cause);
    }
}
