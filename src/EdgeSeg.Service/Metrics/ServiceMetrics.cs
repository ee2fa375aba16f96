using System.Diagnostics;

namespace EdgeSeg.Service.Metrics;

/// <summary>
/// Every metric the service exposes on <c>/metrics</c>, registered once. Resolve per-source children once (at wiring
/// time) and keep them; updating them allocates nothing.
/// </summary>
internal sealed class ServiceMetrics
{
    /// <summary>Latency buckets in seconds: 1 ms to ~16 s, doubling.</summary>
    public static readonly double[] LatencyBounds = HistogramFamily.ExponentialBounds(0.001, 2, 15);

    /// <summary>Creates the metrics in <paramref name="registry"/>, including the process ones.</summary>
    public ServiceMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        SourceFrames = registry.Counter("edgeseg_source_frames_total", "Frames captured, per source.", "source");
        SourceDropped = registry.Counter("edgeseg_source_dropped_frames_total", "Frames dropped before inference (live sources drop the oldest when the pipeline is behind), per source.", "source");
        SourceDroppedAtStop = registry.Counter("edgeseg_source_dropped_at_stop_frames_total", "Frames released unpublished because a stop passed Pipeline:DrainTimeoutSeconds, per source.", "source");
        SourceSkipped = registry.Counter("edgeseg_source_skipped_frames_total", "Frames a source passed over because they could not be read (an image folder's corrupt or oversized image), per source.", "source");
        SourceFailed = registry.Counter("edgeseg_source_failed_frames_total", "Frames that failed in a stage (inference, analysis, publish) and were not published, per source.", "source");
        SourceFps = registry.Gauge("edgeseg_source_fps", "Frames per second through the whole pipeline, per source (recent average).", "source");
        SourceUp = registry.Gauge("edgeseg_source_up", "1 while the source delivers frames, 0 while it is reconnecting, ended or failed.", "source");
        SourceReconnects = registry.Counter("edgeseg_source_reconnects_total", "Times a live source was closed and reopened.", "source");
        StageLatency = registry.Histogram("edgeseg_stage_latency_seconds", "Time spent per pipeline stage (capture, inference, metrics, publish) and from capture to publish (total).", LatencyBounds, "source", "stage");
        QueueDepth = registry.Gauge("edgeseg_queue_depth", "Items waiting in each pipeline queue.", "queue");
        FramesPublished = registry.Counter("edgeseg_frames_completed_total", "Frames that went through every stage, per source.", "source");
        ModelLoaded = registry.Gauge("edgeseg_model_loaded", "1 when the model is loaded and ready.");
        Provider = registry.Gauge("edgeseg_inference_provider_info", "The execution provider running the model (value 1).", "provider", "model");
        MqttConnected = registry.Gauge("edgeseg_mqtt_connected", "1 while the MQTT session works: CONNACK and every SUBACK received, keep-alive answered.");
        MqttOfflineQueue = registry.Gauge("edgeseg_mqtt_offline_queue_messages", "Messages waiting in the on-disk queue for the broker.");
        MqttPublished = registry.Counter("edgeseg_mqtt_published_total", "Messages published (QoS 1: acknowledged), per stream.", "stream");
        MqttFailed = registry.Counter("edgeseg_mqtt_failed_total", "Messages that could not be published, per stream.", "stream");
        MqttDropped = registry.Counter("edgeseg_mqtt_dropped_total", "Messages dropped by the stream's offline policy or rate limit, per stream.", "stream");
        ClassCoverage = registry.Gauge("edgeseg_class_coverage_ratio", "Fraction of the latest frame per appliance class, per source.", "source", "class");
        Events = registry.Counter("edgeseg_events_total", "Scene events started, per source and type.", "source", "type");
        SnapshotRenders = registry.Counter("edgeseg_snapshot_renders_total", "Overlays rendered and JPEG-encoded for /snapshot and the live page, per source (only while someone asks for one).", "source");
        LiveStreams = registry.Gauge("edgeseg_live_streams", "Open live-page update streams (/api/live/stream).");
        LiveStreamsDropped = registry.Counter("edgeseg_live_streams_dropped_total", "Live-page update streams closed because the client stopped reading.");
        LiveStreams.WithLabels().Set(0);
        LiveStreamsDropped.WithLabels();

        var resident = registry.Gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var managed = registry.Gauge("edgeseg_dotnet_gc_heap_bytes", "Bytes in the managed heap after the last collection.");
        var allocated = registry.Counter("edgeseg_dotnet_allocated_bytes_total", "Bytes allocated on the managed heap since start.");
        var collections = registry.Counter("edgeseg_dotnet_gc_collections_total", "Garbage collections per generation.", "generation");
        var started = registry.Gauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.");
        using var self = Process.GetCurrentProcess();
        started.WithLabels().Set((self.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds);
        var generations = Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => (g, collections.WithLabels(g.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        var residentChild = resident.WithLabels();
        var managedChild = managed.WithLabels();
        var allocatedChild = allocated.WithLabels();
        registry.OnCollect(() =>
        {
            residentChild.Set(Environment.WorkingSet);
            managedChild.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            allocatedChild.AdvanceTo(GC.GetTotalAllocatedBytes());
            foreach (var (generation, counter) in generations)
            {
                counter.AdvanceTo(GC.CollectionCount(generation));
            }
        });
    }

    /// <summary>The registry these live in.</summary>
    public MetricsRegistry Registry { get; }

    /// <summary><c>edgeseg_source_frames_total{source}</c>.</summary>
    public CounterFamily SourceFrames { get; }

    /// <summary><c>edgeseg_source_dropped_frames_total{source}</c>.</summary>
    public CounterFamily SourceDropped { get; }

    /// <summary><c>edgeseg_source_dropped_at_stop_frames_total{source}</c>.</summary>
    public CounterFamily SourceDroppedAtStop { get; }

    /// <summary><c>edgeseg_source_skipped_frames_total{source}</c>.</summary>
    public CounterFamily SourceSkipped { get; }

    /// <summary><c>edgeseg_source_failed_frames_total{source}</c>.</summary>
    public CounterFamily SourceFailed { get; }

    /// <summary><c>edgeseg_source_fps{source}</c>.</summary>
    public GaugeFamily SourceFps { get; }

    /// <summary><c>edgeseg_source_up{source}</c>.</summary>
    public GaugeFamily SourceUp { get; }

    /// <summary><c>edgeseg_source_reconnects_total{source}</c>.</summary>
    public CounterFamily SourceReconnects { get; }

    /// <summary><c>edgeseg_stage_latency_seconds{source,stage}</c>.</summary>
    public HistogramFamily StageLatency { get; }

    /// <summary><c>edgeseg_queue_depth{queue}</c>.</summary>
    public GaugeFamily QueueDepth { get; }

    /// <summary><c>edgeseg_frames_completed_total{source}</c>.</summary>
    public CounterFamily FramesPublished { get; }

    /// <summary><c>edgeseg_model_loaded</c>.</summary>
    public GaugeFamily ModelLoaded { get; }

    /// <summary><c>edgeseg_inference_provider_info{provider,model}</c>.</summary>
    public GaugeFamily Provider { get; }

    /// <summary><c>edgeseg_mqtt_connected</c>.</summary>
    public GaugeFamily MqttConnected { get; }

    /// <summary><c>edgeseg_mqtt_offline_queue_messages</c>.</summary>
    public GaugeFamily MqttOfflineQueue { get; }

    /// <summary><c>edgeseg_mqtt_published_total{stream}</c>.</summary>
    public CounterFamily MqttPublished { get; }

    /// <summary><c>edgeseg_mqtt_failed_total{stream}</c>.</summary>
    public CounterFamily MqttFailed { get; }

    /// <summary><c>edgeseg_mqtt_dropped_total{stream}</c>.</summary>
    public CounterFamily MqttDropped { get; }

    /// <summary><c>edgeseg_class_coverage_ratio{source,class}</c>.</summary>
    public GaugeFamily ClassCoverage { get; }

    /// <summary><c>edgeseg_events_total{source,type}</c>.</summary>
    public CounterFamily Events { get; }

    /// <summary><c>edgeseg_snapshot_renders_total{source}</c>.</summary>
    public CounterFamily SnapshotRenders { get; }

    /// <summary><c>edgeseg_live_streams</c>.</summary>
    public GaugeFamily LiveStreams { get; }

    /// <summary><c>edgeseg_live_streams_dropped_total</c>.</summary>
    public CounterFamily LiveStreamsDropped { get; }
}
