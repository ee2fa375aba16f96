using Xunit;

namespace EdgeSeg.TestSupport;

/// <summary>A fact that needs the shared real data set; reported as skipped (with the reason) where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (RepoPaths.SharedData is null)
        {
            Skip = "needs the shared data set (../shared/data or EDGESEG_SHARED_DATA)";
        }
    }
}

/// <summary>A theory that needs the shared real data set; skipped where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (RepoPaths.SharedData is null)
        {
            Skip = "needs the shared data set (../shared/data or EDGESEG_SHARED_DATA)";
        }
    }
}
