using System.Collections.Concurrent;
using System.Globalization;

namespace EdgeSeg.Service.Health;

/// <summary>
/// What <c>/readyz</c> and systemd's STATUS line report: whether the model is loaded (and on which provider), whether
/// the broker is connected, and each source's state. Updated by the components as things change; read by the HTTP
/// endpoints; thread-safe; a singleton.
/// </summary>
internal sealed class ServiceHealth(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _fps = new(StringComparer.Ordinal);
    private volatile string? _provider;
    private volatile string? _modelName;
    private volatile bool _brokerConnected;
    private volatile string? _brokerDetail;
    private volatile IReadOnlyList<string> _problems = [];

    /// <summary>The execution provider running the model, null until loaded.</summary>
    public string? Provider => _provider;

    /// <summary>The model's name, null until loaded.</summary>
    public string? ModelName => _modelName;

    /// <summary>Whether the model is loaded.</summary>
    public bool ModelLoaded => _provider is not null;

    /// <summary>Whether the broker connection is up.</summary>
    public bool BrokerConnected => _brokerConnected;

    /// <summary>Why the broker is not connected (the last error), or null.</summary>
    public string? BrokerDetail => _brokerDetail;

    /// <summary>
    /// Ready: model loaded, broker connected, every source running or (finite and) ended, and no end-to-end problem
    /// (<see cref="Problems"/>).
    /// </summary>
    public bool IsReady => ModelLoaded && BrokerConnected && !_sources.IsEmpty
        && _sources.Values.All(s => s.State is SourceState.Running or SourceState.Ended) && _problems.Count == 0;

    /// <summary>
    /// What keeps the service from doing its job end to end right now (a source that stopped delivering, frames that
    /// all fail, messages refused or never acknowledged), one sentence each; empty when none (<see cref="EndToEndMonitor"/>).
    /// </summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Replaces the end-to-end problems.</summary>
    public void SetProblems(IReadOnlyList<string> problems) => _problems = problems ?? [];

    /// <summary>Each source's status, by id.</summary>
    public IReadOnlyDictionary<string, SourceStatus> Sources => _sources;

    /// <summary>Records that the model is loaded on <paramref name="provider"/>.</summary>
    public void SetModel(string modelName, string provider)
    {
        _modelName = modelName;
        _provider = provider;
    }

    /// <summary>Records the broker connection state.</summary>
    public void SetBroker(bool connected, string? detail = null)
    {
        _brokerDetail = connected ? null : detail;
        _brokerConnected = connected;
    }

    /// <summary>Records a source's state; the time is kept only when the state changes.</summary>
    public void SetSource(string sourceId, SourceState state, string? detail = null)
    {
        var now = time.GetUtcNow();
        _sources.AddOrUpdate(sourceId, static (_, a) => new SourceStatus(a.state, a.now, a.detail),
            static (_, old, a) => old.State == a.state ? old with { Detail = a.detail } : new SourceStatus(a.state, a.now, a.detail),
            (state, now, detail));
    }

    /// <summary>Records a source's recent frames per second (for the STATUS line and the console).</summary>
    public void SetFps(string sourceId, double fps) => _fps[sourceId] = fps;

    /// <summary>The recent frames per second of a source (0 when unknown).</summary>
    public double Fps(string sourceId) => _fps.TryGetValue(sourceId, out var fps) ? fps : 0;

    /// <summary>One line for systemd's STATUS: per-source fps and state, provider, broker.</summary>
    public string Describe()
    {
        var sources = string.Join(", ", _sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            s.Value.State == SourceState.Running
                ? string.Create(CultureInfo.InvariantCulture, $"{s.Key} {Fps(s.Key):0.0} fps")
                : $"{s.Key} {s.Value.State.ToString().ToLowerInvariant()}"));
        var problems = _problems;
        return $"{(sources.Length == 0 ? "no sources" : sources)}; model {(ModelLoaded ? $"on {Provider}" : "not loaded")}; mqtt {(BrokerConnected ? "connected" : "disconnected")}"
            + (problems.Count == 0 ? "" : $"; {problems.Count} problem(s): {string.Join("; ", problems)}");
    }
}
