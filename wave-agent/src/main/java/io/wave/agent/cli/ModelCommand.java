package io.wave.agent.cli;

import io.wave.agent.files.WaveFiles;
import io.wave.agent.ml.ModelSignature;
import io.wave.agent.ml.ModelTrainer;
import io.wave.agent.ml.OnnxModel;
import io.wave.agent.ml.SyntheticBuilding;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "model", mixinStandardHelpOptions = true, description = {
        "Make data, train a controller and inspect models (ONNX), all in the JVM.",
        "  wave model data --rows 10000 --seed 1 --out building.csv",
        "  wave model train --csv building.csv --label occupied --out occupancy.onnx",
        "  wave model inspect occupancy.onnx"},
        subcommands = {ModelCommand.Data.class, ModelCommand.Train.class, ModelCommand.Inspect.class})
final class ModelCommand {
    private ModelCommand() {}

    @Command(name = "data", mixinStandardHelpOptions = true, description = {
            "Write a synthetic building as CSV: hour, motion (events/min), co2 (ppm), occupied (occupied|vacant).",
            "Deterministic: the same --seed gives the same file. Nothing is downloaded."})
    static final class Data extends WaveCommand {
        @Option(names = "--rows", defaultValue = "10000", paramLabel = "N", description = "Rows to write (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write.")
        Path out;

        @Option(names = "--force", description = "Replace an existing file.")
        boolean force;

        @Override
        public Integer call() {
            WaveFiles.write(out, SyntheticBuilding.csv(seed, rows), false, force);
            out().println(out + ": " + rows + " rows (" + SyntheticBuilding.HEADER + "), seed " + seed);
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = {
            "Train a logistic-regression classifier (Tribuo) from a CSV and write it as ONNX.",
            "Every column but --label is a numeric feature; the model takes them in the order of their names,",
            "which it records (see 'wave model inspect'), so 'wave infer serve' takes features by name."})
    static final class Train extends WaveCommand {
        @Option(names = "--csv", required = true, paramLabel = "FILE", description = "Training data, with a header row.")
        Path csv;

        @Option(names = "--label", required = true, paramLabel = "COLUMN", description = "The column to predict.")
        String label;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX model to write.")
        Path out;

        @Option(names = "--force", description = "Replace an existing file.")
        boolean force;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            ModelTrainer.Result r = ModelTrainer.train(csv, label);
            WaveFiles.write(out, r.onnx(), false, force);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", out.toString());
                m.put("rows", r.rows());
                m.put("features", r.features());
                m.put("labels", r.labels());
                m.put("training_accuracy", r.trainingAccuracy());
                m.put("bytes", r.onnx().length);
                printJson(m);
            } else {
                out().println(out + ": logistic regression on " + r.rows() + " rows; features " + String.join(", ", r.features())
                        + "; classes " + String.join(", ", r.labels()) + String.format(java.util.Locale.ROOT,
                                "; training accuracy %.3f", r.trainingAccuracy()));
            }
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = {
            "Show what an ONNX model takes and gives, as 'wave infer serve' reads it; exit 2 if it cannot serve it."})
    static final class Inspect extends WaveCommand {
        @Parameters(paramLabel = "MODEL", description = "An ONNX model file.")
        Path model;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            ModelSignature s;
            try (OnnxModel m = OnnxModel.load(model)) {
                s = m.signature();
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("input", s.input());
            d.put("features", s.featureCount());
            d.put("feature_names", s.featureNames());
            d.put("labels", s.labels());
            d.put("label_output", s.labelOutput());
            d.put("score_output", s.scoreOutput());
            if (json) {
                printJson(d);
            } else {
                d.forEach((k, v) -> out().println(k + ": " + (v == null ? "-" : v)));
            }
            return 0;
        }
    }
}
