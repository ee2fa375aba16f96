namespace EdgeSeg.Scene.Analysis;

/// <summary>Accumulated statistics of one connected component while labelling.</summary>
internal struct Component
{
    public byte Class;
    public int Area;
    public int MinX;
    public int MaxX;
    public int MinY;
    public int MaxY;
    public long SumX;
    public long SumY;
    public int BottomX0;
    public int BottomX1;
    public bool TouchesCorridor;
}
