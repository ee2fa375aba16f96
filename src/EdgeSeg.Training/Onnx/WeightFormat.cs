namespace EdgeSeg.Training.Onnx;

/// <summary>How an exported model stores its convolution weights. Biases and constants stay float32.</summary>
public enum WeightFormat
{
    /// <summary>float32: the engine's own values (<c>--weights float32</c>).</summary>
    Full,

    /// <summary>
    /// float16 initializers, each followed by a Cast to float32 that ONNX Runtime folds at load, so inference runs in
    /// float32 on weights rounded to half precision. Half the file size (<c>--weights float16</c>).
    /// </summary>
    Half,

    /// <summary>
    /// Weights of <see cref="OnnxGraphBuilder.Int8Threshold"/> values or more as int8 with one symmetric scale per
    /// output channel (a Cast to float32 and a Mul by the scales, folded at load); the smaller ones as <see cref="Half"/>. About a third of
    /// the float32 size for a ResNet encoder, whose deepest stage holds most of the values (<c>--weights int8</c>).
    /// </summary>
    Quantized,
}
