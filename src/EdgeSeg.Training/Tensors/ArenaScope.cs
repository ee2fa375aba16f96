namespace EdgeSeg.Training.Tensors;

/// <summary>Returned by <see cref="TensorArena.Use"/>; disposing it restores the thread's previous arena.</summary>
public readonly struct ArenaScope : IDisposable, IEquatable<ArenaScope>
{
    private readonly TensorArena? _previous;

    internal ArenaScope(TensorArena? previous) => _previous = previous;

    /// <summary>Ends the scope.</summary>
    public void Dispose() => TensorArena.Restore(_previous);

    /// <inheritdoc />
    public bool Equals(ArenaScope other) => ReferenceEquals(_previous, other._previous);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ArenaScope s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => _previous?.GetHashCode() ?? 0;

    /// <summary>Equality of the restored arena.</summary>
    public static bool operator ==(ArenaScope left, ArenaScope right) => left.Equals(right);

    /// <summary>Inequality of the restored arena.</summary>
    public static bool operator !=(ArenaScope left, ArenaScope right) => !left.Equals(right);
}
