namespace EdgeSeg.Training.Tensors;

/// <summary>Scope returned by <see cref="Autograd.NoGrad"/>; disposing it turns recording back on.</summary>
public readonly struct NoGradScope : IDisposable, IEquatable<NoGradScope>
{
    /// <summary>Ends the scope.</summary>
    public void Dispose() => Autograd.ExitNoGrad();

    /// <inheritdoc />
    public bool Equals(NoGradScope other) => true;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NoGradScope;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    /// <summary>Scopes carry no state; all are equal.</summary>
    public static bool operator ==(NoGradScope left, NoGradScope right) => true;

    /// <summary>Scopes carry no state; all are equal.</summary>
    public static bool operator !=(NoGradScope left, NoGradScope right) => false;
}
