package org.omx.engine.cli;

import org.omx.io.InputFormatException;
import org.omx.kernels.api.BackendUnavailableException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * Turns exceptions into exit codes and one line on stderr. A user's mistake (bad input file,
 * existing output, unavailable backend) is never a stack trace: exit 2. Failing I/O is exit 1 with
 * one line. Anything else is a bug in omx: the stack trace is printed so it can be reported.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int USER_ERROR = 2;
    static final int IO_ERROR = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String name = cmd.getCommandName();
        switch (e) {
            case InputFormatException ife -> {
                System.err.println("omx " + name + ": error: " + ife.getMessage());
                return USER_ERROR;
            }
            case FileAlreadyExistsException fae -> {
                System.err.println("omx " + name + ": error: " + fae.getMessage());
                return USER_ERROR;
            }
            case NoSuchFileException nsf -> {
                System.err.println("omx " + name + ": error: no such file: " + nsf.getFile());
                return USER_ERROR;
            }
            case BackendUnavailableException bue -> {
                System.err.println("omx " + name + ": error: " + bue.getMessage());
                return USER_ERROR;
            }
            case org.omx.engine.EngineInputException eie -> {
                System.err.println("omx " + name + ": error: " + eie.getMessage());
                return USER_ERROR;
            }
            case UserException ue -> {
                System.err.println("omx " + name + ": error: " + ue.getMessage());
                return USER_ERROR;
            }
            case IOException io -> {
                System.err.println("omx " + name + ": I/O error: " + io.getMessage());
                return IO_ERROR;
            }
            default -> {
                System.err.println("omx " + name + ": internal error (please report): " + e);
                e.printStackTrace(System.err);
                return IO_ERROR;
            }
        }
    }
}
