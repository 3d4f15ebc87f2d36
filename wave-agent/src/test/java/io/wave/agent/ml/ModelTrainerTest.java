package io.wave.agent.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training a controller on the synthetic building, and serving what was trained. */
class ModelTrainerTest {
    /** Measured 0.95 on unseen rows (seed 42 to train, 7 to test); the margin absorbs a Tribuo or JDK update. */
    private static final double MIN_ACCURACY = 0.90;

    @TempDir
    Path dir;

    @Test
    void train_givesAModelThatPredictsOccupancyOnRowsItHasNotSeen() throws Exception {
        Path csv = dir.resolve("building.csv");
        Files.writeString(csv, SyntheticBuilding.csv(42, 4000));

        ModelTrainer.Result r = ModelTrainer.train(csv, SyntheticBuilding.LABEL);

        assertEquals(4000, r.rows());
        assertEquals(List.of("co2", "hour", "motion"), r.features());
        assertTrue(r.labels().containsAll(List.of(SyntheticBuilding.OCCUPIED, SyntheticBuilding.VACANT)), r.labels().toString());
        try (OnnxModel m = OnnxModel.load(r.onnx())) {
            assertEquals(r.features(), m.signature().featureNames());
            assertEquals(r.labels(), m.signature().labels());
            SyntheticBuilding fresh = new SyntheticBuilding(7);
            int right = 0;
            int n = 2000;
            for (int i = 0; i < n; i++) {
                SyntheticBuilding.Row row = fresh.next();
                Prediction p = m.predict(row.features());
                assertTrue(p.confidence() >= 0.5 && p.confidence() <= 1, "confidence " + p.confidence());
                if (p.label().equals(row.occupied() ? SyntheticBuilding.OCCUPIED : SyntheticBuilding.VACANT)) {
                    right++;
                }
            }
            double accuracy = (double) right / n;
            assertTrue(accuracy >= MIN_ACCURACY, "accuracy on unseen rows " + accuracy);
        }
    }

    @Test
    void data_isAFunctionOfTheSeed() {
        assertEquals(SyntheticBuilding.csv(42, 200), SyntheticBuilding.csv(42, 200));
        assertNotEquals(SyntheticBuilding.csv(42, 200), SyntheticBuilding.csv(43, 200));
        assertTrue(SyntheticBuilding.csv(1, 3).startsWith(SyntheticBuilding.HEADER + "\n"));
        assertEquals(ErrorCode.BAD_ARGUMENT, assertThrows(WaveException.class, () -> SyntheticBuilding.csv(1, 0)).code());
    }

    @Test
    void train_refusesACsvWithoutTheLabelColumn() throws Exception {
        Path csv = dir.resolve("building.csv");
        Files.writeString(csv, SyntheticBuilding.csv(1, 50));

        WaveException e = assertThrows(WaveException.class, () -> ModelTrainer.train(csv, "presence"));

        assertEquals(ErrorCode.BAD_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("presence"), e.getMessage());
    }

    @Test
    void train_refusesFeaturesThatAreNotNumbers() throws Exception {
        Path csv = dir.resolve("words.csv");
        Files.writeString(csv, "room,occupied\nkitchen,occupied\nhall,vacant\n");

        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> ModelTrainer.train(csv, "occupied")).code());
    }

    @Test
    void train_refusesDataOfOneClass() throws Exception {
        Path csv = dir.resolve("one.csv");
        Files.writeString(csv, "motion,occupied\n1,occupied\n2,occupied\n3,occupied\n");

        assertEquals(ErrorCode.MALFORMED, assertThrows(WaveException.class, () -> ModelTrainer.train(csv, "occupied")).code());
    }

    @Test
    void train_refusesAMissingFile() {
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(WaveException.class,
                () -> ModelTrainer.train(dir.resolve("none.csv"), "occupied")).code());
    }
}
