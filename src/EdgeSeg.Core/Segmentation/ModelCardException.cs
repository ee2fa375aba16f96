namespace EdgeSeg.Core.Segmentation;

/// <summary>A model card is malformed, or does not match the model it describes. The message names the field.</summary>
public sealed class ModelCardException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> (a JSON path such as <c>outputs[1].kind</c>).</summary>
    /// <param name="source">Where the card came from (a file path, or "metadata of M.onnx").</param>
    /// <param name="field">The JSON path of the field at fault.</param>
    /// <param name="problem">What is wrong with it.</param>
    public ModelCardException(string source, string field, string problem)
        : base($"Model card {source}: {field}: {problem}")
    {
        CardSource = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ModelCardException()
        : this("(unknown)", "(card)", "invalid model card")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ModelCardException(string message)
        : base(message)
    {
        CardSource = "(unknown)";
        Field = "(card)";
        Problem = message;
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public ModelCardException(string message, Exception innerException)
        : base(message, innerException)
    {
        CardSource = "(unknown)";
        Field = "(card)";
        Problem = message;
    }

    /// <summary>Where the card came from.</summary>
    public string CardSource { get; }

    /// <summary>The JSON path of the field at fault, e.g. <c>input.width</c> or <c>outputs[0].map.line</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with the field.</summary>
    public string Problem { get; }
}
