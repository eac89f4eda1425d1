package org.omx.io;

import java.nio.file.Path;

/**
 * A user's input file is not what omx expected. The message is one line that names the file, the
 * line and column where known, what was expected and what was found; the command line prints it
 * and exits with code 2. Line and column are 1-based; 0 means "not applicable".
 */
public final class InputFormatException extends Exception {

    private final transient Path file;
    private final long line;
    private final long column;

    public InputFormatException(Path file, long line, long column, String expected, String found) {
        super(format(file, line, column, expected, found));
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** For problems with no line or column (a wrong size, an empty file). */
    public InputFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.line = 0;
        this.column = 0;
    }

    public Path file() {
        return file;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }

    private static String format(Path file, long line, long column, String expected, String found) {
        StringBuilder sb = new StringBuilder().append(file);
        if (line > 0) sb.append(": line ").append(line);
        if (column > 0) sb.append(", column ").append(column);
        sb.append(": expected ").append(expected);
        if (found != null) sb.append(", found ").append(shorten(found));
        return sb.toString();
    }

    private static String shorten(String s) {
        String oneLine = s.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        return "'" + (oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine) + "'";
    }
}
