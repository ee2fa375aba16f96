namespace EdgeSeg.Core.Segmentation;

/// <summary>An opened model. Thread-safe; each <see cref="IInferenceBinding"/> it creates is used by one thread at a time.</summary>
public interface IInferenceSession : IDisposable
{
    /// <summary>The model's inputs.</summary>
    IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The model's outputs.</summary>
    IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>The model's custom metadata (key to value).</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Which provider runs the model and why others were skipped.</summary>
    ExecutionProviderReport Providers { get; }

    /// <summary>
    /// Creates the input and output tensors for one input shape, once, over pinned buffers that every
    /// <see cref="IInferenceBinding.Run()"/> refills. The caller disposes the binding before the session.
    /// </summary>
    /// <param name="inputName">The model input to feed (the model's only input).</param>
    /// <param name="inputShape">The concrete input shape (symbolic dimensions resolved).</param>
    /// <param name="outputNames">The outputs to compute, in the order <see cref="IInferenceBinding.GetOutput"/> indexes them.</param>
    IInferenceBinding Bind(string inputName, ReadOnlySpan<long> inputShape, IReadOnlyList<string> outputNames);
}
