namespace EdgeSeg.OpenCv;

/// <summary>One connected component found by <see cref="CvImage.ConnectedComponents"/>.</summary>
/// <param name="Label">The component's label in the label image (1..count).</param>
/// <param name="Left">Leftmost column of the bounding box.</param>
/// <param name="Top">Topmost row of the bounding box.</param>
/// <param name="Width">Bounding box width in pixels.</param>
/// <param name="Height">Bounding box height in pixels.</param>
/// <param name="Area">Number of pixels in the component.</param>
/// <param name="CentroidX">Mean column of the component's pixels.</param>
/// <param name="CentroidY">Mean row of the component's pixels.</param>
public readonly record struct ComponentStats(int Label, int Left, int Top, int Width, int Height, int Area, double CentroidX, double CentroidY);
