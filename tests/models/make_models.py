#!/usr/bin/env python3
"""Makes the small ONNX models the inference tests run, with their model cards.

Run with Debian's python3-onnx and python3-numpy (tests never run this; the .onnx and .json files are committed):

    /usr/bin/python3 tests/models/make_models.py

Weights are seeded random numbers: the models are not trained, but every pixel's classes depend on the image, so
a mask computed by the segmenter can be compared pixel for pixel with an independent reference.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17
rng = np.random.default_rng(20260101)


def conv(name, x, cin, cout, k, stride, nodes, inits, dtype=np.float32):
    w = (rng.standard_normal((cout, cin, k, k)) * (1.5 / np.sqrt(cin * k * k))).astype(dtype)
    b = (rng.standard_normal(cout) * 0.3).astype(dtype)
    inits += [numpy_helper.from_array(w, name + "_w"), numpy_helper.from_array(b, name + "_b")]
    nodes.append(helper.make_node("Conv", [x, name + "_w", name + "_b"], [name], kernel_shape=[k, k],
                                  strides=[stride, stride], pads=[k // 2] * 4))
    return name


def relu(x, nodes):
    nodes.append(helper.make_node("Relu", [x], [x + "_relu"]))
    return x + "_relu"


def upsample2(x, out, nodes, inits):
    scales = numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), x + "_scales")
    inits.append(scales)
    nodes.append(helper.make_node("Resize", [x, "", x + "_scales"], [out], mode="linear",
                                  coordinate_transformation_mode="half_pixel"))
    return out


def save(name, nodes, inits, inputs, outputs, card, card_beside=True, metadata=None):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="edgeseg-tests")
    model.ir_version = 8
    if metadata:
        for k, v in metadata.items():
            entry = model.metadata_props.add()
            entry.key, entry.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))
    if card_beside:
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(card, f, indent=2)
            f.write("\n")


FIVE = ["sky", "road", "car", "person", "line"]
FIVE_MAP = {"road": "road", "car": "vehicle", "person": "pedestrian", "line": "lane_marking"}
IMAGENET = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}


def quarter_body(nodes, inits, x="images"):
    h = relu(conv("c1", x, 3, 8, 3, 2, nodes, inits), nodes)
    return conv("c2", h, 8, 5, 3, 2, nodes, inits)


def quarter_fixed():
    # Fixed 96x64 input, logits at 1/4 resolution (24x16), five classes mapped by the card.
    nodes, inits = [], []
    out = quarter_body(nodes, inits)
    nodes.append(helper.make_node("Identity", [out], ["logits"]))
    card = {"name": "quarter-fixed",
            "input": {"name": "images", "colorOrder": "RGB", **IMAGENET, "width": 96, "height": 64, "resize": "stretch"},
            "outputs": [{"name": "logits", "kind": "logits", "classes": FIVE, "map": FIVE_MAP}],
            "precedence": ["lane_marking", "pedestrian", "vehicle", "road", "background"]}
    io = ([helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 64, 96])],
          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 5, 16, 24])])
    save("quarter-fixed", nodes, inits, *io, card)
    # The same model with its card only in the ONNX metadata (as the trainer exports), none beside it.
    save("quarter-fixed-metadata", nodes, inits, *io, card, card_beside=False,
         metadata={"edgeseg.card": json.dumps(card)})
    return card


def dynamic_full():
    # Symbolic height and width; a stride-2 stage and a linear Resize back, so the output is at full resolution.
    nodes, inits = [], []
    h = relu(conv("d1", "input", 3, 6, 3, 2, nodes, inits), nodes)
    h = conv("d2", h, 6, 4, 3, 1, nodes, inits)
    upsample2(h, "scores", nodes, inits)
    card = {"name": "dynamic-full",
            "input": {"name": "input", "colorOrder": "BGR", "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
                      "multipleOf": 8, "resize": "stretch"},
            "outputs": [{"name": "scores", "kind": "logits", "classes": ["background", "road", "vehicle", "pedestrian"]}]}
    save("dynamic-full", nodes, inits,
         [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, "height", "width"])],
         [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 4, "height", "width"])], card)


def labels():
    # ArgMax in the graph: int64 labels at 1/4 resolution.
    nodes, inits = [], []
    out = quarter_body(nodes, inits)
    nodes.append(helper.make_node("ArgMax", [out], ["labels"], axis=1, keepdims=0))
    card = {"name": "labels",
            "input": {"name": "images", "colorOrder": "RGB", **IMAGENET, "width": 96, "height": 64, "resize": "stretch"},
            "outputs": [{"name": "labels", "kind": "labels", "classes": FIVE, "map": FIVE_MAP}]}
    save("labels", nodes, inits,
         [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 64, 96])],
         [helper.make_tensor_value_info("labels", TensorProto.INT64, [1, 16, 24])], card)


def twin_head():
    # A drivable-area head at 1/4 resolution and a lane-line head at full resolution, letterboxed: the card.
    nodes, inits = [], []
    h = relu(conv("t1", "images", 3, 8, 3, 2, nodes, inits), nodes)
    da = conv("t_da", h, 8, 2, 3, 2, nodes, inits)
    nodes.append(helper.make_node("Identity", [da], ["da"]))
    ll = conv("t_ll", h, 8, 2, 1, 1, nodes, inits)
    upsample2(ll, "ll", nodes, inits)
    card = {"name": "twin-head-road",
            "input": {"name": "images", "colorOrder": "RGB", "mean": [0, 0, 0], "std": [1, 1, 1],
                      "width": 128, "height": 72, "resize": "letterbox"},
            "outputs": [{"name": "da", "kind": "logits", "classes": ["other", "drivable"], "map": {"drivable": "road"}},
                        {"name": "ll", "kind": "logits", "classes": ["other", "line"], "map": {"line": "lane_marking"}}],
            "precedence": ["lane_marking", "pedestrian", "vehicle", "road", "background"]}
    save("twin-head", nodes, inits,
         [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 72, 128])],
         [helper.make_tensor_value_info("da", TensorProto.FLOAT, [1, 2, 18, 32]),
          helper.make_tensor_value_info("ll", TensorProto.FLOAT, [1, 2, 72, 128])], card)


def float16():
    # float16 input and output (probabilities); the CPU provider computes in float32 between two Casts.
    nodes, inits = [], []
    nodes.append(helper.make_node("Cast", ["images"], ["images32"], to=TensorProto.FLOAT))
    out = quarter_body(nodes, inits, "images32")
    nodes.append(helper.make_node("Softmax", [out], ["probs32"], axis=1))
    nodes.append(helper.make_node("Cast", ["probs32"], ["probs"], to=TensorProto.FLOAT16))
    card = {"name": "float16",
            "input": {"name": "images", "colorOrder": "RGB", **IMAGENET, "width": 96, "height": 64, "resize": "stretch"},
            "outputs": [{"name": "probs", "kind": "probabilities", "classes": FIVE, "map": FIVE_MAP}]}
    save("float16", nodes, inits,
         [helper.make_tensor_value_info("images", TensorProto.FLOAT16, [1, 3, 64, 96])],
         [helper.make_tensor_value_info("probs", TensorProto.FLOAT16, [1, 5, 16, 24])], card)


def bench():
    # The benchmark's shapes: a 3x360x640 input and 5x90x160 logits.
    nodes, inits = [], []
    h = relu(conv("b1", "images", 3, 16, 3, 2, nodes, inits), nodes)
    out = conv("b2", h, 16, 5, 3, 2, nodes, inits)
    nodes.append(helper.make_node("Identity", [out], ["logits"]))
    card = {"name": "bench-640x360",
            "input": {"name": "images", "colorOrder": "RGB", **IMAGENET, "width": 640, "height": 360, "resize": "stretch"},
            "outputs": [{"name": "logits", "kind": "logits", "classes": FIVE, "map": FIVE_MAP}]}
    save("bench-640x360", nodes, inits,
         [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 360, 640])],
         [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 5, 90, 160])], card)


def bench_heavy():
    # Same shapes with more work per pixel (Run of several ms on one core), so the segmenter's fixed pre- and
    # post-processing cost can be compared with a model of realistic weight.
    nodes, inits = [], []
    h = relu(conv("h1", "images", 3, 16, 3, 2, nodes, inits), nodes)
    h = relu(conv("h2", h, 16, 32, 3, 2, nodes, inits), nodes)
    h = relu(conv("h3", h, 32, 32, 3, 1, nodes, inits), nodes)
    h = relu(conv("h4", h, 32, 32, 3, 1, nodes, inits), nodes)
    out = conv("h5", h, 32, 5, 1, 1, nodes, inits)
    nodes.append(helper.make_node("Identity", [out], ["logits"]))
    card = {"name": "bench-heavy-640x360",
            "input": {"name": "images", "colorOrder": "RGB", **IMAGENET, "width": 640, "height": 360, "resize": "stretch"},
            "outputs": [{"name": "logits", "kind": "logits", "classes": FIVE, "map": FIVE_MAP}]}
    save("bench-heavy-640x360", nodes, inits,
         [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 360, 640])],
         [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 5, 90, 160])], card)


def with_batch(source, name, batch):
    # A copy of a model made above, with the same weights, whose leading (batch) dimension is symbolic ("N") or a
    # fixed batch > 1: its masks must equal the source model's frame for frame. Reads the saved source, so the seeded
    # weights of every model above stay as they are.
    model = onnx.load(os.path.join(HERE, source + ".onnx"))
    for value in list(model.graph.input) + list(model.graph.output):
        dim = value.type.tensor_type.shape.dim[0]
        if isinstance(batch, str):
            dim.dim_param = batch
        else:
            dim.dim_value = batch
    model.graph.name = name
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))
    with open(os.path.join(HERE, source + ".json")) as f:
        card = json.load(f)
    card["name"] = name
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    quarter_fixed()
    dynamic_full()
    labels()
    twin_head()
    float16()
    bench()
    bench_heavy()
    # Batched copies (after every seeded model, so the seeds above are unchanged).
    with_batch("dynamic-full", "batch-dynamic", "N")
    with_batch("labels", "batch-labels", "N")
    with_batch("twin-head", "batch-twin-head", "N")
    with_batch("quarter-fixed", "batch-fixed2", 2)
    with_batch("bench-640x360", "bench-batch-640x360", "N")
