package dev.clickpipes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code clickpipes} command: runs, checks and infers pipes declared in a YAML file, with no
 * Java to write. {@code java -jar clickpipes-cli-<version>-all.jar run pipes.yaml}; every command
 * has {@code --help}. Exit codes: 0 done, 1 a pipe failed or a check found a fault, 2 a wrong
 * command line or definition.
 */
@Command(name = "clickpipes", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "Moves Kafka topics, object storage and files into ClickHouse tables, as a pipes file declares.",
        subcommands = {RunCommand.class, CheckCommand.class, InferCommand.class, CommandLine.HelpCommand.class})
public final class ClickPipesCli implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for code that runs it in-process ({@code execute(args)} returns the exit code). */
    public static CommandLine commandLine() {
        return new CommandLine(new ClickPipesCli()).setExecutionExceptionHandler(new CliFailure());
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command: run, check or infer (clickpipes --help)");
    }
}
