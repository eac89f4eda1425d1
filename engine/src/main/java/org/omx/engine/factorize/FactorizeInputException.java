package org.omx.engine.factorize;

/**
 * Data or parameters a factorization cannot run on (a rank larger than the data allows, negative
 * values given to NMF, missing values, layers without common samples, all variants monomorphic or
 * missing). The message names the problem; the command line prints it as one line and exits 2.
 */
public final class FactorizeInputException extends org.omx.engine.EngineInputException {
    public FactorizeInputException(String message) {
        super(message);
    }
}
