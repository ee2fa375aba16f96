namespace EdgeSeg.OpenCv.Tests;

public sealed class LibraryTests
{
    [Fact]
    public void EnsureLoaded_Twice_ReportsVersionAndPath()
    {
        CvLibrary.EnsureLoaded();
        CvLibrary.EnsureLoaded();

        Assert.True(CvLibrary.OpenCvVersion >= new Version(4, 2));
        Assert.EndsWith("libedgeseg_cv.so", CvLibrary.LibraryPath);
        Assert.True(File.Exists(CvLibrary.LibraryPath));
    }
}
