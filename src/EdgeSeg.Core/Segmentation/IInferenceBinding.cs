namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// Input and output tensors of one shape, created once and refilled per run: nothing is allocated per run. Not
/// thread-safe; the spans it hands out are valid until the binding is disposed. Output contents are valid until the next run.
/// </summary>
public interface IInferenceBinding : IDisposable
{
    /// <summary>The input's element type (<see cref="TensorElementType.Float32"/> or <see cref="TensorElementType.Float16"/>).</summary>
    TensorElementType InputType { get; }

    /// <summary>The input tensor's shape.</summary>
    ReadOnlySpan<long> InputShape { get; }

    /// <summary>The input buffer of a float32 input (empty otherwise), row-major in <see cref="InputShape"/>.</summary>
    Span<float> InputFloat { get; }

    /// <summary>The input buffer of a float16 input (empty otherwise).</summary>
    Span<Half> InputHalf { get; }

    /// <summary>Number of bound outputs.</summary>
    int OutputCount { get; }

    /// <summary>Runs the model on the current input contents.</summary>
    void Run();

    /// <summary>Output <paramref name="index"/> of the last run (valid until the next run).</summary>
    OutputTensor GetOutput(int index);
}
