namespace EdgeSeg.Service.Configuration;

/// <summary>The <c>Device</c> section: who this box is.</summary>
internal sealed class DeviceSettings
{
    /// <summary><c>Device:Id</c>: the device's id, the MQTT topic level after the prefix.</summary>
    public required string Id { get; init; }

    /// <summary>Reads and checks the section.</summary>
    public static DeviceSettings Read(ConfigReader reader)
    {
        reader.OnlyKnown("Device", "Id");
        var id = reader.String("Device:Id", null, required: true);
        if (id is not null && !NameRules.IsValid(id))
        {
            reader.Fail("Device:Id", id, NameRules.Rule);
        }

        return new DeviceSettings { Id = id ?? "" };
    }
}
