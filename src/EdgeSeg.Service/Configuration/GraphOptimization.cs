namespace EdgeSeg.Service.Configuration;

/// <summary>ONNX Runtime's graph optimisation level (<c>Model:OptimizationLevel</c>).</summary>
internal enum GraphOptimization
{
    /// <summary>No graph optimisation.</summary>
    Disabled,

    /// <summary>Constant folding and redundant node removal.</summary>
    Basic,

    /// <summary>Basic plus node fusions.</summary>
    Extended,

    /// <summary>Everything, including layout optimisations (the default).</summary>
    All,
}
