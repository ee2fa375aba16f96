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

    /// <summary>Reads and checks the section.</summary>
    public static PipelineSettings Read(ConfigReader reader)
    {
        reader.OnlyKnown("Pipeline", "LiveQueue", "FileQueue", "StageQueue", "BatchSize", "OverlapInference", "BatchTimeoutMs", "DrainTimeoutSeconds",
            "ReconnectInitialSeconds", "ReconnectMaxSeconds");
        var initial = reader.Double("Pipeline:ReconnectInitialSeconds", 0.5, 0.01, 600);
        var max = reader.Double("Pipeline:ReconnectMaxSeconds", 30, 0.01, 3600);
        if (max < initial)
        {
            reader.Fail("Pipeline:ReconnectMaxSeconds", reader.Raw("Pipeline:ReconnectMaxSeconds") ?? "30", $"must be at least Pipeline:ReconnectInitialSeconds ({initial})");
        }

        return new PipelineSettings
        {
            LiveQueue = reader.Int("Pipeline:LiveQueue", 2, 1, 1024),
            FileQueue = reader.Int("Pipeline:FileQueue", 4, 1, 1024),
            StageQueue = reader.Int("Pipeline:StageQueue", 4, 1, 1024),
            BatchSize = reader.Int("Pipeline:BatchSize", 1, 1, 64),
            OverlapInference = reader.Bool("Pipeline:OverlapInference", true),
            BatchTimeoutMs = reader.Int("Pipeline:BatchTimeoutMs", 0, 0, 10_000),
            DrainTimeoutSeconds = reader.Double("Pipeline:DrainTimeoutSeconds", 5, 0, 600),
            ReconnectInitialSeconds = initial,
            ReconnectMaxSeconds = max,
        };
    }
}
