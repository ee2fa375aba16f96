#!/usr/bin/python3
"""Writes colour-classes.onnx and its card: a 1x1 convolution whose logits make each pure colour one class.

Input "input" is NCHW float RGB pixel/255 of any size. Logits (5 classes, same size):
  background   0.5
  road         R - G - B
  vehicle      G - R - B
  pedestrian   B - R - G
  lane_marking 2(R + G + B) - 5
so black -> background, red -> road, green -> vehicle, blue -> pedestrian, white -> lane_marking, and evaluation
tests know every prediction exactly. Run with Debian's python3-onnx; the outputs are committed.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

here = os.path.dirname(os.path.abspath(__file__))
weights = np.array(
    [[0, 0, 0], [1, -1, -1], [-1, 1, -1], [-1, -1, 1], [2, 2, 2]], dtype=np.float32
).reshape(5, 3, 1, 1)
bias = np.array([0.5, 0, 0, 0, -5], dtype=np.float32)
graph = helper.make_graph(
    [helper.make_node("Conv", ["input", "w", "b"], ["logits"], kernel_shape=[1, 1])],
    "colour_classes",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, "height", "width"])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 5, "height", "width"])],
    [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(bias, "b")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_colour_model.py")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(here, "colour-classes.onnx"))
card = {
    "name": "colour-classes",
    "input": {"name": "input", "colorOrder": "RGB", "mean": [0, 0, 0], "std": [1, 1, 1], "multipleOf": 1, "resize": "stretch"},
    "outputs": [
        {"name": "logits", "kind": "logits", "classes": ["background", "road", "vehicle", "pedestrian", "lane_marking"]}
    ],
}
with open(os.path.join(here, "colour-classes.json"), "w") as f:
    json.dump(card, f, indent=2)
    f.write("\n")
