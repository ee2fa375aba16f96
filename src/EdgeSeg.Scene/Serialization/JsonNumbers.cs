using System.Text.Json;

namespace EdgeSeg.Scene.Serialization;

/// <summary>Number formatting shared by the payload writers.</summary>
internal static class JsonNumbers
{
    /// <summary>Decimal places kept: fractions to a millionth, pixels to a micro-pixel, seconds to a microsecond.</summary>
    public const int Digits = 6;

    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        // Utf8JsonWriter formats invariantly; rounding keeps "0.30000000000000004" out of the payload.
        writer.WriteNumber(name, double.IsFinite(value) ? Math.Round(value, Digits) : 0);
    }

    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, Math.Round(v, Digits));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
