package org.omx.engine.normalize;

/**
 * A normalization step that cannot be built as asked: an unknown method, a parameter the method
 * does not take, or a value of the wrong kind. Carries the parameter's name so that the command
 * line can say {@code --prior-count} and a manifest recipe {@code layers[0].normalize[1].prior-count}.
 */
public final class InvalidStepException extends Exception {

    private final String parameter;

    /** @param parameter the offending parameter, or null when the problem is the method itself */
    public InvalidStepException(String parameter, String problem) {
        super(problem);
        this.parameter = parameter;
    }

    /** The parameter at fault; null when the method name is. */
    public String parameter() {
        return parameter;
    }
}
