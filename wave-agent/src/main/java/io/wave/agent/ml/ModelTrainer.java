package io.wave.agent.ml;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;

/**
 * Trains a logistic-regression classifier from a CSV file with Tribuo and writes it as ONNX, with its
 * feature and class names as metadata ({@link OnnxModel#FEATURES_KEY}, {@link OnnxModel#LABELS_KEY}) so
 * that a server can take features by name. Every column but the label is a numeric feature; the
 * model's input takes them in the order of their names (Tribuo's feature order), which the metadata
 * records. Deterministic: Tribuo's trainer runs from its fixed default seed.
 */
public final class ModelTrainer {
    /** Training here is for small controllers; larger data belongs in a data pipeline, not a CLI verb. */
    public static final long MAX_CSV_BYTES = 256L * 1024 * 1024;
    /** Columns a CSV may have: a controller's sensors, not a feature store. */
    public static final int MAX_COLUMNS = 1024;
    /** The ONNX domain and version written into trained models. */
    static final String DOMAIN = "io.wave.ml";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tribuo reports every thousand SGD steps at INFO; the CLI's stderr is for what a user must read. Held so it stays set. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private ModelTrainer() {}

    /** What training produced. */
    public record Result(int rows, List<String> features, List<String> labels, double trainingAccuracy, byte[] onnx) {
        public Result {
            features = List.copyOf(features);
            labels = List.copyOf(labels);
            onnx = onnx.clone();
        }

        @Override
        public byte[] onnx() {
            return onnx.clone();
        }
    }

    /**
     * Trains on {@code csv}, predicting column {@code label}; the result holds the ONNX model's bytes.
     *
     * @throws WaveException NOT_FOUND, IO_ERROR, TOO_LARGE, BAD_ARGUMENT (no such column), MALFORMED (not a
     *         numeric CSV, or fewer than two classes)
     */
    public static Result train(Path csv, String label) {
        checkCsv(csv, label);
        MutableDataset<Label> data;
        try {
            data = new CSVLoader<>(new LabelFactory()).load(csv, label);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + csv + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw WaveException.malformed(csv + " is not a CSV of numeric features and a '" + label + "' column: "
                    + e.getMessage());
        }
        if (data.size() < 2 || data.getOutputs().size() < 2) {
            throw WaveException.malformed(csv + ": training needs at least two rows and two classes of '" + label + "'");
        }
        LinearSGDModel model = (LinearSGDModel) new LogisticRegressionTrainer().train(data);
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        List<String> features = new ArrayList<>(fmap.size());
        for (int i = 0; i < fmap.size(); i++) {
            features.add(fmap.get(i).getName());
        }
        ImmutableOutputInfo<Label> outputs = model.getOutputIDInfo();
        List<String> labels = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            labels.add(outputs.getOutput(i).getLabel());
        }
        OnnxMl.ModelProto proto = model.exportONNXModel(DOMAIN, 1).toBuilder()
                .addMetadataProps(meta(OnnxModel.FEATURES_KEY, features))
                .addMetadataProps(meta(OnnxModel.LABELS_KEY, labels))
                .build();
        byte[] bytes = proto.toByteArray();
        return new Result(data.size(), features, labels, accuracy(model, data), bytes);
    }

    private static double accuracy(LinearSGDModel model, Dataset<Label> data) {
        int right = 0;
        for (var ex : data) {
            if (model.predict(ex).getOutput().getLabel().equals(ex.getOutput().getLabel())) {
                right++;
            }
        }
        return (double) right / data.size();
    }

    /** Bounds and the header, before Tribuo reads the whole file. */
    private static void checkCsv(Path csv, String label) {
        try {
            long size = Files.size(csv);
            if (size > MAX_CSV_BYTES) {
                throw WaveException.tooLarge(csv + " is " + size + " bytes; training reads at most " + MAX_CSV_BYTES);
            }
            try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                String header = r.readLine();
                if (header == null) {
                    throw WaveException.malformed(csv + " is empty");
                }
                String[] cols = header.split(",", -1);
                if (cols.length > MAX_COLUMNS) {
                    throw WaveException.tooLarge(csv + " has " + cols.length + " columns; at most " + MAX_COLUMNS);
                }
                if (cols.length < 2 || java.util.Arrays.stream(cols).map(String::strip).noneMatch(label::equals)) {
                    throw WaveException.badArgument(csv + " has no column '" + label + "' beside its features (header: "
                            + (header.length() > 200 ? header.substring(0, 200) + "..." : header) + ")");
                }
            }
        } catch (NoSuchFileException e) {
            throw new WaveException(ErrorCode.NOT_FOUND, "no file " + csv);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + csv + ": " + e.getMessage());
        }
    }

    private static OnnxMl.StringStringEntryProto meta(String key, List<String> values) {
        try {
            return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(JSON.writeValueAsString(values)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
