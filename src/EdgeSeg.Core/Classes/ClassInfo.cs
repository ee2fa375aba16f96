namespace EdgeSeg.Core.Classes;

/// <summary>One appliance class: its index (the mask value), its wire name and its display colour.</summary>
/// <param name="Class">The class.</param>
/// <param name="Name">The snake_case name used in configuration, model cards and MQTT payloads.</param>
/// <param name="Color">The colour overlays and legends draw it in.</param>
public sealed record ClassInfo(ApplianceClass Class, string Name, Rgb Color)
{
    /// <summary>The mask value of the class.</summary>
    public byte Index => (byte)Class;
}
