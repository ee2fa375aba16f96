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

    /// <summary>The input's leading (batch) dimension: how many images one <see cref="Run()"/> takes.</summary>
    int BatchCapacity { get; }

    /// <summary>Runs the model on the current input contents (all <see cref="BatchCapacity"/> images).</summary>
    void Run();

    /// <summary>
    /// Runs the model on the first <paramref name="batch"/> images of the input only (a model with a dynamic batch
    /// dimension); the outputs then have <paramref name="batch"/> as their leading dimension. The tensors for each
    /// batch count are views over the same buffers, made on its first use: nothing is allocated per run after that.
    /// </summary>
    /// <param name="batch">1..<see cref="BatchCapacity"/>.</param>
    void Run(int batch);

    /// <summary>Output <paramref name="index"/> of the last run (valid until the next run).</summary>
    OutputTensor GetOutput(int index);
}
