package dev.clickpipes.cli;

import dev.clickpipes.definition.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line as in a pipes file: {@code 500ms}, {@code 10s}, {@code 2m}, {@code PT5S}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return DurationText.parse(value);
    }
}
