using System.Globalization;

namespace EdgeSeg.Core.Segmentation;

/// <summary>Checks a card against the real inputs and outputs of the model it describes; errors name the card field.</summary>
internal static class ModelCardValidator
{
    public static void Validate(ModelCard card, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs, string source)
    {
        var input = inputs.FirstOrDefault(i => i.Name == card.Input.Name)
            ?? throw new ModelCardException(source, "input.name", $"the model has no input '{card.Input.Name}' (its inputs: {Names(inputs)})");
        if (inputs.Count != 1)
        {
            throw new ModelCardException(source, "input.name", $"the model has {inputs.Count} inputs ({Names(inputs)}); the segmenter feeds exactly one");
        }

        if (input.ElementType is not (TensorElementType.Float32 or TensorElementType.Float16))
        {
            throw new ModelCardException(source, "input.name", $"model input {input} is not float32 or float16");
        }

        if (input.Shape.Count != 4 || input.Shape[0] is 0 or < -1 || input.Shape[1] is not (3 or -1))
        {
            throw new ModelCardException(source, "input.layout", $"model input {input} is not NCHW with 3-channel images");
        }

        var modelHeight = input.Shape[2];
        var modelWidth = input.Shape[3];
        if (card.Input.IsDynamic)
        {
            if (modelHeight >= 0 || modelWidth >= 0)
            {
                throw new ModelCardException(source, "input.width", $"the card declares a dynamic input but model input {input} has a fixed size; give width and height");
            }
        }
        else
        {
            if (modelWidth >= 0 && modelWidth != card.Input.Width)
            {
                throw new ModelCardException(source, "input.width", $"{card.Input.Width} does not match model input {input} (width {modelWidth})");
            }

            if (modelHeight >= 0 && modelHeight != card.Input.Height)
            {
                throw new ModelCardException(source, "input.height", $"{card.Input.Height} does not match model input {input} (height {modelHeight})");
            }
        }

        for (var k = 0; k < card.Outputs.Count; k++)
        {
            var o = card.Outputs[k];
            var path = $"outputs[{k}]";
            var info = outputs.FirstOrDefault(t => t.Name == o.Name)
                ?? throw new ModelCardException(source, path + ".name", $"the model has no output '{o.Name}' (its outputs: {Names(outputs)})");
            if (o.Kind == OutputKind.Labels)
            {
                if (info.ElementType is not (TensorElementType.UInt8 or TensorElementType.Int32 or TensorElementType.Int64))
                {
                    throw new ModelCardException(source, path + ".kind", $"labels need an integer output; model output {info} is not uint8, int32 or int64");
                }

                if (!(info.Shape.Count == 3 || (info.Shape.Count == 4 && info.Shape[1] is 1 or -1)))
                {
                    throw new ModelCardException(source, path + ".kind", $"labels need an N x H x W (or N x 1 x H x W) output; model output is {info}");
                }

                continue;
            }

            if (info.ElementType is not (TensorElementType.Float32 or TensorElementType.Float16))
            {
                throw new ModelCardException(source, path + ".kind", $"{(o.Kind == OutputKind.Logits ? "logits" : "probabilities")} need a float32 or float16 output; model output is {info}");
            }

            if (info.Shape.Count != 4)
            {
                throw new ModelCardException(source, path + ".kind", $"scores need an N x C x H x W output; model output is {info}");
            }

            if (info.Shape[1] >= 0 && info.Shape[1] != o.Classes.Count)
            {
                throw new ModelCardException(source, path + ".classes",
                    string.Create(CultureInfo.InvariantCulture, $"lists {o.Classes.Count} classes but model output {info} has {info.Shape[1]} channels"));
            }
        }
    }

    private static string Names(IReadOnlyList<TensorInfo> tensors) => string.Join(", ", tensors.Select(t => t.ToString()));
}
