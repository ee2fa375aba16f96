namespace EdgeSeg.Core.Segmentation;

/// <summary>How much the inference engine rewrites the graph before running it.</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No graph optimisation.</summary>
    Disabled,

    /// <summary>Semantics-preserving node removals and constant folding.</summary>
    Basic,

    /// <summary>Basic plus complex node fusions.</summary>
    Extended,

    /// <summary>Everything, including layout optimisations (the default).</summary>
    All,
}
