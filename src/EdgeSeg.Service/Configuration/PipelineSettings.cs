namespace EdgeSeg.Service.Configuration;

/// <summary>The <c>Pipeline</c> section: queue sizes between the stages, batching, shutdown and reconnects.</summary>
internal sealed class PipelineSettings
{
    /// <summary><c>Pipeline:LiveQueue</c>: frames queued per live source before the oldest is dropped.</summary>
    public int LiveQueue { get; init; }

    /// <summary><c>Pipeline:FileQueue</c>: frames queued per file or folder source before its capture waits.</summary>
    public int FileQueue { get; init; }

    /// <summary><c>Pipeline:StageQueue</c>: frames queued between inference, scene metrics and publishing.</summary>
    public int StageQueue { get; init; }

    /// <summary><c>Pipeline:BatchSize</c>: most frames per inference call, when the model has a batch dimension.</summary>
    public int BatchSize { get; init; }

    /// <summary>
    /// <c>Pipeline:OverlapInference</c>: with a batch size of 1, decode the model's outputs into the mask in the analysis
    /// stage while the inference task runs the next frame (default true).
    /// </summary>
    public bool OverlapInference { get; init; }

    /// <summary><c>Pipeline:BatchTimeoutMs</c>: longest wait to fill a batch; 0 derives it from the frame rate.</summary>
    public int BatchTimeoutMs { get; init; }

    /// <summary><c>Pipeline:DrainTimeoutSeconds</c>: how long shutdown waits for frames in flight.</summary>
    public double DrainTimeoutSeconds { get; init; }

    /// <summary><c>Pipeline:ReconnectInitialSeconds</c>: first wait before reopening a live source that stopped.</summary>
    public double ReconnectInitialSeconds { get; init; }

    /// <summary><c>Pipeline:ReconnectMaxSeconds</c>: the reconnect backoff's cap (keep it well under the unit's WatchdogSec).</summary>
    public double ReconnectMaxSeconds { get; init; }

    /// <summary>
    /// <c>Pipeline:MaxFramePixels</c>: the largest frame (width x height) a source may deliver; images are checked from
    /// their header before decoding, videos and streams when they open. Bounds the memory of every frame buffer.
    /// </summary>
    public long MaxFramePixels { get; init; }

    /// <summary>
    /// <c>Pipeline:MaxFrameMemoryMegabytes</c>: the most the frame buffers may take when every source holds its most
    /// frames at <see cref="MaxFramePixels"/> (3 bytes a pixel); a configuration that could exceed it is refused.
    /// </summary>
    public int MaxFrameMemoryMegabytes { get; init; }

    /// <summary>The most frames one source holds at once: its queue, a batch, two stage queues and four in the stages' hands.</summary>
    public int FramesPerSource(bool live) => (live ? LiveQueue : FileQueue) + BatchSize + (2 * StageQueue) + 4;

    /// <summary>Reads and checks the section.</summary>
    public static PipelineSettings Read(ConfigReader reader)
    {
        reader.OnlyKnown("Pipeline", "LiveQueue", "FileQueue", "StageQueue", "BatchSize", "OverlapInference", "BatchTimeoutMs", "DrainTimeoutSeconds",
            "ReconnectInitialSeconds", "ReconnectMaxSeconds", "MaxFramePixels", "MaxFrameMemoryMegabytes");
        var initial = reader.Double("Pipeline:ReconnectInitialSeconds", 0.5, 0.01, 600);
        var max = reader.Double("Pipeline:ReconnectMaxSeconds", 30, 0.01, 3600);
        if (max < initial)
        {
            reader.Fail("Pipeline:ReconnectMaxSeconds", reader.Raw("Pipeline:ReconnectMaxSeconds") ?? "30", $"must be at least Pipeline:ReconnectInitialSeconds ({initial})");
        }

        return new PipelineSettings
        {
            // Together these bound the frame buffers' memory; EdgeSegSettings checks the sum against MaxFrameMemoryMegabytes.
            LiveQueue = reader.Int("Pipeline:LiveQueue", 2, 1, 1024),
            FileQueue = reader.Int("Pipeline:FileQueue", 4, 1, 1024),
            StageQueue = reader.Int("Pipeline:StageQueue", 4, 1, 1024),
            BatchSize = reader.Int("Pipeline:BatchSize", 1, 1, 64),
            MaxFramePixels = reader.Int("Pipeline:MaxFramePixels", (int)Pipeline.Sources.FrameSourceOptions.DefaultMaxPixels, 64 * 64, 1 << 26),
            MaxFrameMemoryMegabytes = reader.Int("Pipeline:MaxFrameMemoryMegabytes", 2048, 64, 1 << 20),
            OverlapInference = reader.Bool("Pipeline:OverlapInference", true),
            BatchTimeoutMs = reader.Int("Pipeline:BatchTimeoutMs", 0, 0, 10_000),
            DrainTimeoutSeconds = reader.Double("Pipeline:DrainTimeoutSeconds", 5, 0, 600),
            ReconnectInitialSeconds = initial,
            ReconnectMaxSeconds = max,
        };
    }
}
