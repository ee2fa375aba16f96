namespace EdgeSeg.Service.Publishing;

/// <summary>A validated command received on <c>{prefix}/{device}/cmd/{name}</c>.</summary>
/// <param name="Id">The request's optional <c>id</c>, echoed in the reply.</param>
internal abstract record ServiceCommand(string? Id);

/// <summary><c>cmd/snapshot</c>: publish the current mask (and overlay) of one source, or of all, now.</summary>
/// <param name="Id">Request id.</param>
/// <param name="Source">The source, or null for every source.</param>
internal sealed record SnapshotCommand(string? Id, string? Source) : ServiceCommand(Id);

/// <summary><c>cmd/set-rate</c>: change the largest rate of one stream of one source.</summary>
/// <param name="Id">Request id.</param>
/// <param name="Source">The source.</param>
/// <param name="Stream">The stream.</param>
/// <param name="FramesPerSecond">The new largest rate; null publishes every frame.</param>
internal sealed record SetRateCommand(string? Id, string Source, PublishedStream Stream, double? FramesPerSecond) : ServiceCommand(Id);

/// <summary><c>cmd/reload-model</c>: reload the model (from its configured path, or another one).</summary>
/// <param name="Id">Request id.</param>
/// <param name="ModelPath">A model file to load instead, or null for the configured one.</param>
internal sealed record ReloadModelCommand(string? Id, string? ModelPath) : ServiceCommand(Id);

/// <summary>The outcome of a command, sent back on its reply topic.</summary>
/// <param name="Ok">Whether it was carried out.</param>
/// <param name="Message">What happened, or why not.</param>
internal sealed record CommandResult(bool Ok, string Message);
