package io.wave.agent.ml;

import java.util.concurrent.atomic.AtomicInteger;

/** A real model that counts its inferences: how a test sees that a refusal cost none. */
final class CountingModel implements Model {
    private final Model model;
    private final AtomicInteger runs = new AtomicInteger();

    CountingModel(Model model) {
        this.model = model;
    }

    int runs() {
        return runs.get();
    }

    @Override
    public ModelSignature signature() {
        return model.signature();
    }

    @Override
    public Prediction predict(float[] features) {
        runs.incrementAndGet();
        return model.predict(features);
    }
}
