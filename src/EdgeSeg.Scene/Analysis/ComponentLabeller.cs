using System.Diagnostics;

namespace EdgeSeg.Scene.Analysis;

/// <summary>
/// Run-based connected-component labelling (8-connectivity, per class) with union-find over horizontal runs.
/// Rows are fed top to bottom; every buffer is reused, so after the largest frame has been seen nothing allocates.
/// </summary>
internal sealed class ComponentLabeller
{
    private int[] _x0 = new int[4096];
    private int[] _x1 = new int[4096];
    private int[] _y = new int[4096];
    private int[] _parent = new int[4096];
    private int[] _componentOf = new int[4096];
    private byte[] _class = new byte[4096];
    private Component[] _components = new Component[256];
    private int _count;
    private int _prevStart;
    private int _prevEnd;
    private int _curStart;
    private int _scan;
    private int _componentCount;

    public int ComponentCount => _componentCount;

    public ReadOnlySpan<Component> Components => _components.AsSpan(0, _componentCount);

    public void Reset()
    {
        _count = 0;
        _prevStart = _prevEnd = _curStart = _scan = 0;
        _componentCount = 0;
    }

    /// <summary>Starts row y; must be called for every row in order, including rows without runs.</summary>
    public void StartRow()
    {
        _prevStart = _curStart;
        _prevEnd = _count;
        _curStart = _count;
        _scan = _prevStart;
    }

    /// <summary>Adds the run [x0, x1) of class <paramref name="cls"/> on row <paramref name="y"/>; runs of a row come left to right.</summary>
    public void AddRun(int x0, int x1, int y, byte cls)
    {
        Debug.Assert(x1 > x0, "runs are non-empty");
        if (_count == _x0.Length)
        {
            Grow();
        }

        var i = _count++;
        _x0[i] = x0;
        _x1[i] = x1;
        _y[i] = y;
        _class[i] = cls;
        _parent[i] = i;

        // Previous-row runs ending left of x0 - 1 cannot touch this run or any later one on this row.
        while (_scan < _prevEnd && _x1[_scan] < x0)
        {
            _scan++;
        }

        // 8-connectivity: a previous-row run touches when it spans a column in [x0 - 1, x1].
        for (var j = _scan; j < _prevEnd && _x0[j] <= x1; j++)
        {
            if (_class[j] == cls)
            {
                Union(i, j);
            }
        }
    }

    /// <summary>
    /// Resolves the labels and accumulates one <see cref="Component"/> per connected set, in the order of their first
    /// (top-left) run. <paramref name="corridorStart"/>/<paramref name="corridorEnd"/> give the corridor's column
    /// interval per row.
    /// </summary>
    public void Finish(ReadOnlySpan<int> corridorStart, ReadOnlySpan<int> corridorEnd)
    {
        _componentCount = 0;
        for (var i = 0; i < _count; i++)
        {
            var root = Find(i);
            int c;
            if (root == i)
            {
                if (_componentCount == _components.Length)
                {
                    Array.Resize(ref _components, _components.Length * 2);
                }

                c = _componentCount++;
                _componentOf[i] = c;
                _components[c] = new Component
                {
                    Class = _class[i],
                    MinX = int.MaxValue,
                    MinY = _y[i],
                    MaxY = -1,
                };
            }
            else
            {
                // Roots are the smallest index of their set, so the root was visited before this run.
                c = _componentOf[root];
            }

            ref var comp = ref _components[c];
            int x0 = _x0[i], x1 = _x1[i], y = _y[i];
            var len = x1 - x0;
            comp.Area += len;
            comp.MinX = Math.Min(comp.MinX, x0);
            comp.MaxX = Math.Max(comp.MaxX, x1);
            comp.SumX += (long)(x0 + x1 - 1) * len / 2;
            comp.SumY += (long)y * len;
            if (y > comp.MaxY)
            {
                comp.MaxY = y;
                comp.BottomX0 = x0;
                comp.BottomX1 = x1;
            }
            else if (y == comp.MaxY)
            {
                comp.BottomX0 = Math.Min(comp.BottomX0, x0);
                comp.BottomX1 = Math.Max(comp.BottomX1, x1);
            }

            if (!comp.TouchesCorridor && x0 < corridorEnd[y] && corridorStart[y] < x1)
            {
                comp.TouchesCorridor = true;
            }
        }
    }

    private int Find(int i)
    {
        var root = i;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[i] != root)
        {
            var next = _parent[i];
            _parent[i] = root;
            i = next;
        }

        return root;
    }

    private void Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
        {
            return;
        }

        // The smaller index becomes the root, so a set's root is its first run in scan order.
        if (ra < rb)
        {
            _parent[rb] = ra;
        }
        else
        {
            _parent[ra] = rb;
        }
    }

    private void Grow()
    {
        var size = _x0.Length * 2;
        Array.Resize(ref _x0, size);
        Array.Resize(ref _x1, size);
        Array.Resize(ref _y, size);
        Array.Resize(ref _parent, size);
        Array.Resize(ref _componentOf, size);
        Array.Resize(ref _class, size);
    }
}
