namespace EdgeSeg.Training.Tensors;

/// <summary>Reverse-mode automatic differentiation: recording switch and the backward pass.</summary>
public static class Autograd
{
    [ThreadStatic]
    private static int t_noGradDepth;

    // The traversal's collections, kept per thread between backward passes so that a training step does not grow new
    // ones (they are emptied after each pass: they hold no tensor between steps).
    [ThreadStatic]
    private static List<Tensor>? t_order;

    [ThreadStatic]
    private static HashSet<Tensor>? t_visited;

    [ThreadStatic]
    private static Stack<(Tensor T, int Next)>? t_stack;

    /// <summary>Whether operations on this thread record a graph.</summary>
    public static bool IsEnabled => t_noGradDepth == 0;

    /// <summary>Turns recording off on this thread until the returned scope is disposed (evaluation, optimiser steps).</summary>
    public static NoGradScope NoGrad()
    {
        t_noGradDepth++;
        return new NoGradScope();
    }

    internal static void ExitNoGrad() => t_noGradDepth--;

    /// <summary>Whether an operation over <paramref name="inputs"/> must record itself.</summary>
    internal static bool ShouldRecord(params ReadOnlySpan<Tensor?> inputs)
    {
        if (t_noGradDepth != 0)
        {
            return false;
        }

        foreach (var t in inputs)
        {
            if (t is not null && t.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks <paramref name="output"/> as produced by an operation with the given backward.</summary>
    internal static void Record(Tensor output, string name, Tensor[] inputs, Action<Tensor> backward)
    {
        output.RequiresGrad = true;
        output.Node = new GraphNode(name, inputs, backward);
    }

    internal static void RunBackward(Tensor root, Tensor? gradient)
    {
        if (root.Node is null)
        {
            if (!root.RequiresGrad)
            {
                throw new InvalidOperationException("Backward() on a tensor that does not require gradients (no recorded graph).");
            }

            var g = root.EnsureGrad();
            AddInto(g, gradient);
            return;
        }

        // Taken, not borrowed: a backward pass started from inside a backward action gets collections of its own.
        var order = t_order ?? [];
        var visited = t_visited ?? new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = t_stack ?? new Stack<(Tensor T, int Next)>();
        (t_order, t_visited, t_stack) = (null, null, null);
        try
        {
            RunBackward(root, gradient, order, visited, stack);
        }
        finally
        {
            order.Clear();
            visited.Clear();
            stack.Clear();
            (t_order, t_visited, t_stack) = (order, visited, stack);
        }
    }

    private static void RunBackward(Tensor root, Tensor? gradient, List<Tensor> order, HashSet<Tensor> visited, Stack<(Tensor T, int Next)> stack)
    {
        // Topological order by iterative depth-first search: a deep U-Net graph would overflow a recursive one.
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }

        var rootGrad = root.EnsureGrad();
        AddInto(rootGrad, gradient);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var node = t.Node;
            if (node is null)
            {
                continue;
            }

            var g = t.Grad;
            if (g is not null)
            {
                node.BackwardAction(g);
            }

            // Intermediate results keep no gradient or history once consumed: memory goes back with the graph.
            t.Node = null;
            t.Grad = null;
        }
    }

    private static void AddInto(Tensor g, Tensor? gradient)
    {
        if (gradient is null)
        {
            g.Data.Fill(1f);
            return;
        }

        var d = g.Data;
        var s = gradient.Data;
        for (var i = 0; i < d.Length; i++)
        {
            d[i] += s[i];
        }
    }
}
