using EdgeSeg.Core.Segmentation;
using EdgeSeg.Pipeline;
using EdgeSeg.Pipeline.Sources;
using EdgeSeg.Pipeline.Supervision;
using EdgeSeg.Service.Configuration;
using CoreGraphOptimization = EdgeSeg.Core.Segmentation.GraphOptimizationLevel;

namespace EdgeSeg.Service.Appliance;

/// <summary>Maps the validated settings onto the options of the components the appliance wires together.</summary>
internal static class ApplianceOptions
{
    /// <summary>The segmenter's options from <c>Model</c>, and its batch size from <c>Pipeline:BatchSize</c>.</summary>
    public static SegmenterOptions Segmenter(ModelSettings model, int batchSize, Action<string> log) => new()
    {
        MaxBatchSize = batchSize,
        Inference = new InferenceOptions
        {
            Providers = model.Providers,
            DeviceId = model.DeviceId,
            TensorRtCachePath = model.TensorRtCacheDirectory,
            TensorRtFp16 = model.TensorRtFp16,
            IntraOpThreads = model.IntraOpThreads,
            GraphOptimization = model.OptimizationLevel switch
            {
                GraphOptimization.Disabled => CoreGraphOptimization.Disabled,
                GraphOptimization.Basic => CoreGraphOptimization.Basic,
                GraphOptimization.Extended => CoreGraphOptimization.Extended,
                _ => CoreGraphOptimization.All,
            },
            LibraryPath = model.LibraryPath,
            Log = log,
        },
    };

    /// <summary>A frame source's options from <c>Sources:N</c>.</summary>
    public static FrameSourceOptions Source(SourceSettings source, PipelineSettings pipeline) => new()
    {
        MaxPixels = pipeline.MaxFramePixels,
        Id = source.Id,
        Uri = source.Location,
        Paced = source.Pace,
        Loop = source.Loop,
        OpenTimeout = TimeSpan.FromSeconds(source.OpenTimeoutSeconds),
        ReadTimeout = TimeSpan.FromSeconds(source.ReadTimeoutSeconds),
        Width = source.Camera.Width > 0 ? source.Camera.Width : null,
        Height = source.Camera.Height > 0 ? source.Camera.Height : null,
        Fps = source.Kind == SourceKind.Camera
            ? (source.Camera.Fps > 0 ? source.Camera.Fps : null)
            : (source.Fps > 0 ? source.Fps : null),
        PixelFormat = source.Camera.PixelFormat,
    };

    /// <summary>The pipeline's options from <c>Pipeline</c>.</summary>
    public static PipelineOptions Pipeline(PipelineSettings pipeline) => new()
    {
        LiveQueueCapacity = pipeline.LiveQueue,
        FileQueueCapacity = pipeline.FileQueue,
        StageQueueCapacity = pipeline.StageQueue,
        BatchTimeout = pipeline.BatchTimeoutMs > 0 ? TimeSpan.FromMilliseconds(pipeline.BatchTimeoutMs) : null,
        DrainTimeout = TimeSpan.FromSeconds(pipeline.DrainTimeoutSeconds),
        Reconnect = new Backoff(TimeSpan.FromSeconds(pipeline.ReconnectInitialSeconds), TimeSpan.FromSeconds(pipeline.ReconnectMaxSeconds), 0.2),
    };
}
