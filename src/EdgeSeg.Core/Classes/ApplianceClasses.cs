using System.Collections.Frozen;

namespace EdgeSeg.Core.Classes;

/// <summary>The fixed appliance class list: names, colours and lookups.</summary>
public static class ApplianceClasses
{
    /// <summary>Number of appliance classes; every mask value is below this.</summary>
    public const int Count = 5;

    /// <summary>
    /// Version of the class list published to consumers. Bump it whenever a class is added, renamed or
    /// recoloured, so that consumers holding a retained copy know to refresh it.
    /// </summary>
    public const int ListVersion = 1;

    /// <summary>The classes in index order.</summary>
    public static IReadOnlyList<ClassInfo> All { get; } =
    [
        new(ApplianceClass.Background, "background", new Rgb(0, 0, 0)),
        new(ApplianceClass.Road, "road", new Rgb(128, 64, 128)),
        new(ApplianceClass.Vehicle, "vehicle", new Rgb(0, 0, 230)),
        new(ApplianceClass.Pedestrian, "pedestrian", new Rgb(220, 20, 60)),
        new(ApplianceClass.LaneMarking, "lane_marking", new Rgb(255, 215, 0)),
    ];

    private static readonly FrozenDictionary<string, ApplianceClass> ByName =
        All.ToFrozenDictionary(c => c.Name, c => c.Class, StringComparer.Ordinal);

    /// <summary>The class with mask value <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not an appliance class.</exception>
    public static ClassInfo Get(int index)
    {
        if ((uint)index >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Appliance class indices are 0..{Count - 1}.");
        }

        return All[index];
    }

    /// <summary>The class information of <paramref name="cls"/>.</summary>
    public static ClassInfo Get(ApplianceClass cls) => Get((int)cls);

    /// <summary>Looks a class up by its wire name (<c>road</c>, <c>lane_marking</c>, ...). Case-sensitive.</summary>
    public static bool TryParse(string? name, out ApplianceClass cls)
    {
        if (name is not null && ByName.TryGetValue(name, out cls))
        {
            return true;
        }

        cls = default;
        return false;
    }

    /// <summary>Looks a class up by name, throwing a message that lists the valid names when it is unknown.</summary>
    /// <exception cref="FormatException">The name is not an appliance class.</exception>
    public static ApplianceClass Parse(string name)
    {
        if (!TryParse(name, out var cls))
        {
            throw new FormatException(
                $"'{name}' is not an appliance class; expected one of {string.Join(", ", All.Select(c => c.Name))}.");
        }

        return cls;
    }

    /// <summary>The wire name of <paramref name="cls"/>.</summary>
    public static string NameOf(ApplianceClass cls) => Get(cls).Name;

    /// <summary>True when <paramref name="value"/> is a valid mask value.</summary>
    public static bool IsValid(int value) => (uint)value < Count;
}
