package io.wave.agent.ml;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * ONNX models written here by hand, not by Tribuo: other input and output names, other output kinds, the
 * shapes a served model must refuse. They stand for "a model nobody here trained".
 */
final class ForeignModels {
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = OnnxMl.TensorProto.DataType.INT64.getNumber();
    private static final int BOOL = OnnxMl.TensorProto.DataType.BOOL.getNumber();

    private ForeignModels() {}

    /**
     * {@code p_on = sigmoid(sensor_values · w + b)}: one probability per row, as a binary classifier that
     * was exported without labels gives. Input {@code sensor_values} float [batch, 3].
     */
    static byte[] sigmoid(float[] w, float b) {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("thermal")
                .addInput(value("sensor_values", FLOAT, "batch", 3))
                .addOutput(value("p_on", FLOAT, "batch", 1))
                .addInitializer(floats("w", new long[] {3, 1}, w))
                .addInitializer(floats("b", new long[] {1}, new float[] {b}))
                .addNode(node("MatMul", List.of("sensor_values", "w"), List.of("z0")))
                .addNode(node("Add", List.of("z0", "b"), List.of("z")))
                .addNode(node("Sigmoid", List.of("z"), List.of("p_on")));
        return model(g);
    }

    /**
     * A three-class softmax classifier with its class index first and its probabilities second, as
     * scikit-learn's converters order them (without the zipmap). Input {@code x} float [1, 2].
     */
    static byte[] softmaxWithArgmax() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("three")
                .addInput(value("x", FLOAT, 1, 2))
                .addOutput(value("class", INT64, 1))
                .addOutput(value("scores", FLOAT, 1, 3))
                .addInitializer(floats("w", new long[] {2, 3}, new float[] {1, 0, -1, 0, 1, -1}))
                .addNode(node("MatMul", List.of("x", "w"), List.of("logits")))
                .addNode(node("Softmax", List.of("logits"), List.of("scores"), attr("axis", 1)))
                .addNode(node("ArgMax", List.of("scores"), List.of("class"), attr("axis", 1), attr("keepdims", 0)));
        return model(g);
    }

    /**
     * What scikit-learn's converter makes of a classifier: the ONNX-ML {@code LinearClassifier} with string
     * classes, its label first ({@code output_label}) and its probabilities as a sequence of maps from class
     * to probability ({@code output_probability}, through {@code ZipMap}). Input {@code float_input} float [N, 2].
     */
    static byte[] sklearnLike() {
        OnnxMl.AttributeProto classes = OnnxMl.AttributeProto.newBuilder().setName("classlabels_strings")
                .setType(OnnxMl.AttributeProto.AttributeType.STRINGS)
                .addStrings(com.google.protobuf.ByteString.copyFromUtf8("vacant"))
                .addStrings(com.google.protobuf.ByteString.copyFromUtf8("occupied")).build();
        OnnxMl.NodeProto linear = OnnxMl.NodeProto.newBuilder().setOpType("LinearClassifier").setDomain("ai.onnx.ml")
                .addInput("float_input").addOutput("output_label").addOutput("scores")
                .addAttribute(classes)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("coefficients")
                        .setType(OnnxMl.AttributeProto.AttributeType.FLOATS).addAllFloats(List.of(-1f, -1f, 1f, 1f)))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("intercepts")
                        .setType(OnnxMl.AttributeProto.AttributeType.FLOATS).addAllFloats(List.of(0f, 0f)))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("post_transform")
                        .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                        .setS(com.google.protobuf.ByteString.copyFromUtf8("SOFTMAX")))
                .build();
        OnnxMl.NodeProto zip = OnnxMl.NodeProto.newBuilder().setOpType("ZipMap").setDomain("ai.onnx.ml")
                .addInput("scores").addOutput("output_probability").addAttribute(classes).build();
        OnnxMl.TypeProto mapType = OnnxMl.TypeProto.newBuilder().setSequenceType(OnnxMl.TypeProto.Sequence.newBuilder()
                .setElemType(OnnxMl.TypeProto.newBuilder().setMapType(OnnxMl.TypeProto.Map.newBuilder()
                        .setKeyType(OnnxMl.TensorProto.DataType.STRING.getNumber())
                        .setValueType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                .setElemType(FLOAT)))))).build();
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("sklearn")
                .addInput(value("float_input", FLOAT, "N", 2))
                .addOutput(value("output_label", OnnxMl.TensorProto.DataType.STRING.getNumber(), "N"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("output_probability").setType(mapType))
                .addNode(linear).addNode(zip);
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("skl2onnx-like")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
                .setGraph(g).build().toByteArray();
    }

    /** Two inputs: not servable from one row. */
    static byte[] twoInputs() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("two")
                .addInput(value("a", FLOAT, 1, 2)).addInput(value("b", FLOAT, 1, 2))
                .addOutput(value("sum", FLOAT, 1, 2))
                .addNode(node("Add", List.of("a", "b"), List.of("sum")));
        return model(g);
    }

    /** An image-like input, [1, 3, 4]: not one row of features. */
    static byte[] rank3Input() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("image")
                .addInput(value("pixels", FLOAT, 1, 3, 4))
                .addOutput(value("same", FLOAT, 1, 3, 4))
                .addNode(node("Identity", List.of("pixels"), List.of("same")));
        return model(g);
    }

    /** Only a boolean output: neither a label nor scores. */
    static byte[] boolOutput() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("flag")
                .addInput(value("x", FLOAT, 1, 2))
                .addOutput(value("positive", BOOL, 1, 2))
                .addInitializer(floats("zero", new long[] {1}, new float[] {0}))
                .addNode(node("Greater", List.of("x", "zero"), List.of("positive")));
        return model(g);
    }

    private static byte[] model(OnnxMl.GraphProto.Builder g) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("hand-written")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    /** A value of {@code type} whose dimensions are numbers or, for a String, a free (named) dimension. */
    private static OnnxMl.ValueInfoProto value(String name, int type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    private static OnnxMl.TensorProto floats(String name, long[] dims, float[] values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static OnnxMl.AttributeProto attr(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.NodeProto node(String op, List<String> in, List<String> out, OnnxMl.AttributeProto... attrs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).addAllInput(in).addAllOutput(out);
        for (OnnxMl.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }
}
