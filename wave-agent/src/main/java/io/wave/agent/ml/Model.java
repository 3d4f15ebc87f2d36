package io.wave.agent.ml;

/**
 * A model that answers one row of features at a time. Implementations are thread-safe: a server calls
 * {@link #predict} from many request threads at once.
 */
public interface Model {
    /** What the model takes and gives, read from the model itself. */
    ModelSignature signature();

    /**
     * Runs the model on one row.
     *
     * @throws io.wave.crypto.WaveException BAD_ARGUMENT when the row does not fit the signature (count, NaN)
     *         or the model refuses it
     */
    Prediction predict(float[] features);
}
