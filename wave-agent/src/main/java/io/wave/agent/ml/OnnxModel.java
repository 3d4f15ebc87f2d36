package io.wave.agent.ml;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model served with ONNX Runtime. Whatever trained it, the model is read for what it declares
 * rather than assumed: it must have exactly one input, a float tensor of one row ({@code [F]}, or
 * {@code [N, F]} with a free or unit batch), and among its outputs a class label (an int64 or string
 * tensor of one value per row) or per-class scores (a float tensor, or the sequence of maps that
 * scikit-learn's converters emit), or both. Anything else is refused when loading with
 * {@link ErrorCode#BAD_ARGUMENT}; bytes that are no ONNX model with {@link ErrorCode#MALFORMED}.
 *
 * <p>Models trained here ({@link ModelTrainer}) also carry their feature and class names as metadata
 * ({@value #FEATURES_KEY}, {@value #LABELS_KEY}: JSON arrays of strings); other models are served by index.
 */
public final class OnnxModel implements Model, AutoCloseable {
    /** A controller's model is kilobytes to megabytes; the bound keeps a wrong file from filling the heap. */
    public static final long MAX_MODEL_BYTES = 256L * 1024 * 1024;
    /** Metadata key: the features' names in input order. */
    public static final String FEATURES_KEY = "wave.features";
    /** Metadata key: the class names in score order. */
    public static final String LABELS_KEY = "wave.labels";
    /** How far a float probability may stray from [0, 1] (or its sum from 1) before scores are not probabilities. */
    private static final double PROBABILITY_SLACK = 1e-3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelSignature signature;
    private final boolean batched;
    private final Set<String> wanted;

    private OnnxModel(OrtEnvironment env, OrtSession session, ModelSignature signature, boolean batched) {
        this.env = env;
        this.session = session;
        this.signature = signature;
        this.batched = batched;
        Set<String> w = new LinkedHashSet<>();
        if (signature.labelOutput() != null) {
            w.add(signature.labelOutput());
        }
        if (signature.scoreOutput() != null) {
            w.add(signature.scoreOutput());
        }
        this.wanted = Set.copyOf(w);
    }

    /**
     * Loads a model file.
     *
     * @throws WaveException NOT_FOUND, IO_ERROR, TOO_LARGE, MALFORMED (not ONNX), BAD_ARGUMENT (not servable)
     */
    public static OnnxModel load(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_MODEL_BYTES + 1));
        } catch (NoSuchFileException e) {
            throw new WaveException(ErrorCode.NOT_FOUND, "no model file " + file);
        } catch (IOException e) {
            throw new WaveException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        try {
            return load(bytes);
        } catch (WaveException e) {
            throw new WaveException(e.code(), file + ": " + e.getMessage());
        }
    }

    /** Loads a model from its bytes; see {@link #load(Path)}. */
    public static OnnxModel load(byte[] bytes) {
        if (bytes.length > MAX_MODEL_BYTES) {
            throw WaveException.tooLarge("a model is at most " + MAX_MODEL_BYTES / (1024 * 1024) + " MiB");
        }
        if (bytes.length == 0) {
            throw WaveException.malformed("the model file is empty");
        }
        OrtEnvironment env = environment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One row at a time: thread pools cost more in hand-offs than the few multiply-adds they could split.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw WaveException.malformed("not an ONNX model that ONNX Runtime can load: " + firstLine(e.getMessage()));
        }
        try {
            Read read = read(session);
            return new OnnxModel(env, session, read.signature(), read.batched());
        } catch (WaveException | OrtException e) {
            closeQuietly(session);
            if (e instanceof WaveException w) {
                throw w;
            }
            throw WaveException.malformed("cannot read the model's inputs and outputs: " + firstLine(e.getMessage()));
        }
    }

    private static OrtEnvironment environment() {
        try {
            return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "wave");
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new WaveException(ErrorCode.IO_ERROR, "ONNX Runtime's native library did not load: " + e);
        }
    }

    /** What loading learns: the signature, and whether the input has a batch dimension. */
    private record Read(ModelSignature signature, boolean batched) {}

    private static Read read(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw WaveException.badArgument("a served model has exactly one input; this one has " + inputs.size()
                    + " (" + String.join(", ", inputs.keySet()) + ")");
        }
        NodeInfo in = inputs.values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
            throw WaveException.badArgument("the model's input '" + in.getName() + "' is " + in.getInfo()
                    + "; a served model takes a float tensor");
        }
        long[] shape = ti.getShape();
        boolean batched;
        long width;
        if (shape.length == 1) {
            batched = false;
            width = shape[0];
        } else if (shape.length == 2 && (shape[0] == -1 || shape[0] == 1)) {
            batched = true;
            width = shape[1];
        } else {
            throw WaveException.badArgument("the model's input '" + in.getName() + "' has shape " + Arrays.toString(shape)
                    + "; a served model takes one row: [F] or [N, F] with N free or 1");
        }
        if (width == 0 || width < -1 || width > ModelSignature.MAX_FEATURES) {
            throw WaveException.badArgument("the model takes " + width + " features per row; at most "
                    + ModelSignature.MAX_FEATURES);
        }
        String labelOut = null;
        String scoreOut = null;
        for (NodeInfo o : session.getOutputInfo().values()) {
            if (o.getInfo() instanceof TensorInfo t) {
                boolean oneValue = t.getShape().length <= 1 || t.getShape().length == 2 && t.getShape()[1] == 1;
                if (labelOut == null && oneValue && (t.type == OnnxJavaType.INT64 || t.type == OnnxJavaType.INT32
                        || t.type == OnnxJavaType.STRING)) {
                    labelOut = o.getName();
                } else if (scoreOut == null && (t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE)) {
                    scoreOut = o.getName();
                }
            } else if (o.getInfo() instanceof SequenceInfo s && s.isSequenceOfMaps() && scoreOut == null
                    && (s.mapInfo.valueType == OnnxJavaType.FLOAT || s.mapInfo.valueType == OnnxJavaType.DOUBLE)) {
                scoreOut = o.getName();
            }
        }
        Map<String, String> meta = session.getMetadata().getCustomMetadata();
        List<String> features = names(meta.get(FEATURES_KEY), FEATURES_KEY);
        List<String> labels = names(meta.get(LABELS_KEY), LABELS_KEY);
        if (width == -1 && !features.isEmpty()) {
            width = features.size();
        }
        if (!features.isEmpty() && features.size() != width) {
            features = List.of(); // names that do not fit the input are ignored, not trusted
        }
        return new Read(new ModelSignature(in.getName(), (int) width, features, labels, labelOut, scoreOut), batched);
    }

    private static List<String> names(String json, String key) {
        if (json == null) {
            return List.of();
        }
        try {
            String[] names = JSON.readValue(json, String[].class);
            if (names.length > ModelSignature.MAX_FEATURES) {
                throw WaveException.badArgument("metadata " + key + " names more than " + ModelSignature.MAX_FEATURES);
            }
            return List.of(names);
        } catch (JsonProcessingException | NullPointerException e) {
            throw WaveException.malformed("metadata " + key + " is not a JSON array of strings");
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Prediction predict(float[] features) {
        signature.check(features);
        long[] shape = batched ? new long[] {1, features.length} : new long[] {features.length};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), shape);
                OrtSession.Result result = session.run(Map.of(signature.input(), input), wanted)) {
            Object label = signature.labelOutput() == null ? null : label(result.get(signature.labelOutput()).orElseThrow());
            return interpret(label, signature.scoreOutput() == null ? null
                    : scores(result.get(signature.scoreOutput()).orElseThrow()));
        } catch (OrtException e) {
            throw WaveException.badArgument("the model refused the input: " + firstLine(e.getMessage()));
        }
    }

    /** The first label of the output: a Long or a String. */
    private static Object label(OnnxValue v) throws OrtException {
        Object o = v.getValue();
        while (o != null && o.getClass().isArray()) {
            if (java.lang.reflect.Array.getLength(o) == 0) {
                throw WaveException.badArgument("the model's label output is empty");
            }
            o = java.lang.reflect.Array.get(o, 0);
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof String s) {
            return s;
        }
        throw WaveException.badArgument("the model's label output is not a class");
    }

    /** The first row's scores, by class name (or index as text). */
    private LinkedHashMap<String, Double> scores(OnnxValue v) throws OrtException {
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        if (v instanceof OnnxTensor t) {
            double[] s;
            if (t.getInfo().type == OnnxJavaType.FLOAT) {
                FloatBuffer b = t.getFloatBuffer();
                s = new double[b.remaining()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = b.get(i);
                }
            } else {
                s = t.getDoubleBuffer().array();
            }
            long[] shape = t.getInfo().getShape();
            int width = shape.length >= 2 ? (int) shape[shape.length - 1] : batched ? 1 : s.length;
            if (width < 1 || width > ModelSignature.MAX_LABELS || s.length < width) {
                throw WaveException.badArgument("the model gave " + s.length + " scores for one row");
            }
            List<String> labels = signature.labels();
            if (width == 1) {
                // One score per row: the probability of the second class of two.
                out.put(labels.size() == 2 ? labels.get(0) : "0", 1 - s[0]);
                out.put(labels.size() == 2 ? labels.get(1) : "1", s[0]);
            } else {
                for (int i = 0; i < width; i++) {
                    out.put(labels.size() == width ? labels.get(i) : Integer.toString(i), s[i]);
                }
            }
            return out;
        }
        if (v instanceof OnnxSequence seq) {
            List<? extends OnnxValue> rows = seq.getValue();
            if (rows.isEmpty() || !(rows.get(0) instanceof OnnxMap m)) {
                throw WaveException.badArgument("the model's score output holds no map");
            }
            Map<?, ?> row = m.getValue();
            if (row.size() > ModelSignature.MAX_LABELS) {
                throw WaveException.badArgument("the model gave " + row.size() + " classes; at most " + ModelSignature.MAX_LABELS);
            }
            for (Map.Entry<?, ?> e : row.entrySet()) {
                out.put(String.valueOf(e.getKey()), ((Number) e.getValue()).doubleValue());
            }
            return out;
        }
        throw WaveException.badArgument("the model's score output is neither a tensor nor a sequence of maps");
    }

    private Prediction interpret(Object label, LinkedHashMap<String, Double> scores) {
        boolean probabilities = scores != null && areProbabilities(scores);
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        if (scores != null) {
            for (Map.Entry<String, Double> e : scores.entrySet()) {
                if (e.getValue() > bestScore) {
                    bestScore = e.getValue();
                    best = e.getKey();
                }
            }
        }
        String name;
        if (label instanceof Long index) {
            // A class index: named when the model names its classes, else the index itself (as zipmap keys are).
            List<String> names = signature.labels();
            name = index >= 0 && index < names.size() ? names.get((int) (long) index) : Long.toString(index);
        } else if (label instanceof String s) {
            name = s;
        } else {
            name = best;
        }
        if (name == null) {
            throw WaveException.badArgument("the model gave no class");
        }
        if (!probabilities) {
            return new Prediction(name, Double.NaN, Map.of());
        }
        Map<String, Double> clamped = new LinkedHashMap<>();
        scores.forEach((k, p) -> clamped.put(k, Math.max(0, Math.min(1, p))));
        Double c = clamped.get(name);
        return new Prediction(name, c != null ? c : Math.max(0, Math.min(1, bestScore)), clamped);
    }

    private static boolean areProbabilities(Map<String, Double> scores) {
        double sum = 0;
        for (double p : scores.values()) {
            if (!(p >= -PROBABILITY_SLACK && p <= 1 + PROBABILITY_SLACK)) {
                return false;
            }
            sum += p;
        }
        return Math.abs(sum - 1) <= PROBABILITY_SLACK * scores.size();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** Releases the session; the process-wide ONNX Runtime environment stays for other models. */
    @Override
    public void close() {
        closeQuietly(session);
    }
}
