namespace EdgeSeg.Training.Tensors;

/// <summary>One recorded operation: its inputs and how to push the output's gradient back into them.</summary>
internal sealed class GraphNode
{
    public GraphNode(string name, Tensor[] inputs, Action<Tensor> backward)
    {
        Name = name;
        Inputs = inputs;
        BackwardAction = backward;
    }

    /// <summary>Operation name, for diagnostics.</summary>
    public string Name { get; }

    public Tensor[] Inputs { get; }

    /// <summary>Receives the output's gradient and accumulates into the inputs' gradients (those that require them).</summary>
    public Action<Tensor> BackwardAction { get; }
}
