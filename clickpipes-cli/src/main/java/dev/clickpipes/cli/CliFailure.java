package dev.clickpipes.cli;

import dev.clickpipes.definition.DefinitionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a command's failure is shown: a wrong definition or file as its message alone (exit 2, it
 * names the key and what was expected); anything else as its message and cause (exit 1), the
 * stack trace only with {@code -Dclickpipes.cli.trace=true}.
 */
final class CliFailure implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        boolean usage = e instanceof DefinitionException || e instanceof PipesFileException;
        command.getErr().println("clickpipes " + command.getCommandName() + ": " + describe(e));
        if (Boolean.getBoolean("clickpipes.cli.trace")) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return usage ? 2 : 1;
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append("; caused by ").append(c.getMessage());
            }
        }
        return s.toString();
    }
}
