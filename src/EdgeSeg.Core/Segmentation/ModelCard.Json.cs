using System.Text;
using System.Text.Json;
using EdgeSeg.Core.Classes;

namespace EdgeSeg.Core.Segmentation;

/// <summary>Writing a card back as JSON (the shape <see cref="Parse"/> reads).</summary>
public sealed partial class ModelCard
{
    /// <summary>The card as indented JSON, in the documented shape.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", Name);
            w.WritePropertyName("input");
            w.WriteStartObject();
            w.WriteString("name", Input.Name);
            w.WriteString("layout", Input.Layout);
            w.WriteString("colorOrder", Input.ColorOrder == ColorOrder.Rgb ? "RGB" : "BGR");
            WriteNumbers(w, "mean", Input.Mean);
            WriteNumbers(w, "std", Input.Std);
            if (Input.IsDynamic)
            {
                w.WriteNumber("multipleOf", Input.MultipleOf ?? 1);
                if (Input.WorkingHeight is { } workingHeight)
                {
                    w.WriteNumber("workingHeight", workingHeight);
                }
            }
            else
            {
                w.WriteNumber("width", Input.Width!.Value);
                w.WriteNumber("height", Input.Height!.Value);
            }

            w.WriteString("resize", Input.Resize == ResizePolicy.Stretch ? "stretch" : "letterbox");
            if (Input.PadValue != 0)
            {
                w.WriteNumber("padValue", Input.PadValue);
            }

            w.WriteEndObject();
            w.WritePropertyName("outputs");
            w.WriteStartArray();
            foreach (var output in Outputs)
            {
                w.WriteStartObject();
                w.WriteString("name", output.Name);
                w.WriteString("kind", output.Kind switch
                {
                    OutputKind.Logits => "logits",
                    OutputKind.Probabilities => "probabilities",
                    _ => "labels",
                });
                w.WritePropertyName("classes");
                w.WriteStartArray();
                foreach (var cls in output.Classes)
                {
                    w.WriteStringValue(cls);
                }

                w.WriteEndArray();
                w.WritePropertyName("map");
                w.WriteStartObject();
                foreach (var (from, to) in output.Map)
                {
                    w.WriteString(from, to);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("precedence");
            w.WriteStartArray();
            foreach (var cls in Precedence)
            {
                w.WriteStringValue(ApplianceClasses.NameOf(cls));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNumbers(Utf8JsonWriter w, string name, IReadOnlyList<float> values)
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
