namespace EdgeSeg.Core.Segmentation;

/// <summary>
/// One frame's own input and output tensors, rented from a <see cref="Segmenter"/> so that pre-processing, the model
/// run and post-processing of a frame can happen on three different threads, each overlapping the others' work on
/// neighbouring frames: <see cref="Segmenter.Prepare"/>, then <see cref="Segmenter.Run(SegmentationSlot)"/>, then
/// <see cref="Segmenter.Decode"/>, then <see cref="Segmenter.ReturnSlot"/>.
/// </summary>
/// <remarks>
/// A slot serves frames of one size. One thread at a time uses a slot; handing it to the next thread is the caller's
/// synchronisation (a channel write, say). Return it to its <see cref="Owner"/> exactly once; it must not be used after that.
/// </remarks>
public sealed class SegmentationSlot
{
    internal SegmentationSlot(Segmenter owner, PreprocessPlan plan, IInferenceBinding binding, OutputDecoder[] decoders)
    {
        Owner = owner;
        Plan = plan;
        Binding = binding;
        Decoders = decoders;
    }

    /// <summary>The segmenter the slot belongs to: the one that runs it and takes it back.</summary>
    public Segmenter Owner { get; }

    /// <summary>Width of the frames the slot serves.</summary>
    public int FrameWidth => Plan.Geometry.FrameWidth;

    /// <summary>Height of the frames the slot serves.</summary>
    public int FrameHeight => Plan.Geometry.FrameHeight;

    /// <summary>How far the frame in the slot has come.</summary>
    public SegmentationSlotState State { get; internal set; }

    /// <summary>Times of the steps done so far for the frame in the slot (zero for steps not yet done).</summary>
    public SegmentTimings Timings { get; internal set; }

    internal PreprocessPlan Plan { get; }

    internal IInferenceBinding Binding { get; }

    // The slot's own decoders: their scratch buffers are not shared with another thread's decode.
    internal OutputDecoder[] Decoders { get; }

    // Float16 models: the slot's own float staging row for pre-processing.
    internal float[] FloatInput { get; set; } = [];
}
