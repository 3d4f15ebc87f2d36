package io.wave.agent.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading models that nobody here trained: the runtime reads the model's own inputs and outputs instead
 * of assuming Tribuo's names, serves what fits one row of features, and refuses the rest with a typed error.
 */
class OnnxModelTest {
    @TempDir
    Path dir;

    @Test
    void load_servesABinaryModelWithOtherNames() {
        try (OnnxModel m = OnnxModel.load(ForeignModels.sigmoid(new float[] {1, 1, 1}, -1.5f))) {
            ModelSignature s = m.signature();
            assertEquals("sensor_values", s.input());
            assertEquals(3, s.featureCount());
            assertEquals("p_on", s.scoreOutput());
            assertNull(s.labelOutput());

            Prediction on = m.predict(new float[] {1, 1, 1}); // z = 1.5
            Prediction off = m.predict(new float[] {0, 0, 0}); // z = -1.5

            assertEquals("1", on.label());
            assertEquals(1 / (1 + Math.exp(-1.5)), on.confidence(), 1e-6);
            assertEquals(List.of("0", "1"), List.copyOf(on.probabilities().keySet()));
            assertEquals("0", off.label());
            assertEquals(1 / (1 + Math.exp(-1.5)), off.confidence(), 1e-6);
        }
    }

    @Test
    void load_takesTheLabelFromALabelOutputAndItsProbabilityFromTheScores() {
        try (OnnxModel m = OnnxModel.load(ForeignModels.softmaxWithArgmax())) {
            assertEquals("class", m.signature().labelOutput());
            assertEquals("scores", m.signature().scoreOutput());

            Prediction p = m.predict(new float[] {0.2f, 3f}); // logits 0.2, 3, -3.2: class 1

            assertEquals("1", p.label());
            double e0 = Math.exp(0.2);
            double e1 = Math.exp(3);
            double e2 = Math.exp(-3.2);
            assertEquals(e1 / (e0 + e1 + e2), p.confidence(), 1e-5);
            assertEquals(3, p.probabilities().size());
        }
    }

    @Test
    void load_servesWhatScikitLearnsConverterEmits() {
        try (OnnxModel m = OnnxModel.load(ForeignModels.sklearnLike())) {
            assertEquals("float_input", m.signature().input());
            assertEquals("output_label", m.signature().labelOutput());
            assertEquals("output_probability", m.signature().scoreOutput());

            Prediction p = m.predict(new float[] {2f, 1f}); // scores -3, 3: occupied

            assertEquals("occupied", p.label());
            assertEquals(Math.exp(3) / (Math.exp(3) + Math.exp(-3)), p.confidence(), 1e-5);
            assertEquals(java.util.Set.of("vacant", "occupied"), p.probabilities().keySet());
        }
    }

    @Test
    void load_refusesBytesThatAreNoModel() {
        assertCode(ErrorCode.MALFORMED, () -> OnnxModel.load("this is not a model\n".getBytes()));
        assertCode(ErrorCode.MALFORMED, () -> OnnxModel.load(new byte[0]));
        assertCode(ErrorCode.MALFORMED, () -> OnnxModel.load(new byte[] {0x08, (byte) 0xff, (byte) 0xff, 0x12, 0x7f}));
    }

    @Test
    void load_refusesAGarbageFileWithItsName() throws Exception {
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

        WaveException e = assertThrows(WaveException.class, () -> OnnxModel.load(garbage));

        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("garbage.onnx"), e.getMessage());
        assertCode(ErrorCode.NOT_FOUND, () -> OnnxModel.load(dir.resolve("missing.onnx")));
    }

    @Test
    void load_refusesModelsThatDoNotTakeOneRow() {
        assertCode(ErrorCode.BAD_ARGUMENT, () -> OnnxModel.load(ForeignModels.twoInputs()));
        assertCode(ErrorCode.BAD_ARGUMENT, () -> OnnxModel.load(ForeignModels.rank3Input()));
    }

    @Test
    void load_refusesAModelWithNeitherLabelNorScores() {
        WaveException e = assertThrows(WaveException.class, () -> OnnxModel.load(ForeignModels.boolOutput()));

        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("neither a label nor a probability"), e.getMessage());
    }

    @Test
    void predict_refusesARowThatDoesNotFit() {
        try (OnnxModel m = OnnxModel.load(ForeignModels.sigmoid(new float[] {1, 1, 1}, 0))) {
            assertCode(ErrorCode.BAD_ARGUMENT, () -> m.predict(new float[] {1, 2}));
            assertCode(ErrorCode.BAD_ARGUMENT, () -> m.predict(new float[] {1, 2, 3, 4}));
            assertCode(ErrorCode.BAD_ARGUMENT, () -> m.predict(new float[] {1, Float.NaN, 3}));
            assertCode(ErrorCode.BAD_ARGUMENT, () -> m.predict(new float[0]));
        }
    }

    private static void assertCode(ErrorCode expected, org.junit.jupiter.api.function.Executable e) {
        WaveException w = assertThrows(WaveException.class, e);
        assertEquals(expected, w.code(), w.getMessage());
    }
}
