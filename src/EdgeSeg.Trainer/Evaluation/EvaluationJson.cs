using System.Text.Json;

namespace EdgeSeg.Trainer.Evaluation;

/// <summary>The JSON form of an <see cref="EvaluationResult"/>; undefined scores (NaN) are written as null.</summary>
internal static class EvaluationJson
{
    /// <summary>Serialises <paramref name="result"/> (indented).</summary>
    public static string Serialize(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("dataset", result.Dataset);
            w.WriteString("split", result.Split);
            w.WriteNumber("images", result.Images);
            Number(w, "pixelAccuracy", result.PixelAccuracy);
            Number(w, "mIoU", result.MeanIoU);
            w.WriteStartArray("excludedFromMIoU");
            foreach (var c in result.PerClass.Where(c => !c.Labelled))
            {
                w.WriteStringValue(c.Name);
            }

            w.WriteEndArray();
            w.WriteStartArray("perClass");
            foreach (var c in result.PerClass)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                Number(w, "iou", c.IoU);
                Number(w, "precision", c.Precision);
                Number(w, "recall", c.Recall);
                w.WriteNumber("pixels", c.Pixels);
                w.WriteBoolean("labelled", c.Labelled);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("confusion");
            foreach (var row in result.Confusion)
            {
                w.WriteStartArray();
                foreach (var n in row)
                {
                    w.WriteNumberValue(n);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("objectRecall");
            foreach (var o in result.Objects)
            {
                w.WriteStartObject();
                w.WriteString("name", o.Name);
                w.WriteStartArray("bands");
                foreach (var b in o.Bands)
                {
                    w.WriteStartObject();
                    w.WriteNumber("minHeight", b.MinHeight);
                    if (b.EndHeight is { } end)
                    {
                        w.WriteNumber("endHeight", end);
                    }
                    else
                    {
                        w.WriteNull("endHeight");
                    }

                    w.WriteNumber("objects", b.Objects);
                    w.WriteNumber("found", b.Found);
                    Number(w, "foundRate", b.FoundRate);
                    w.WriteNumber("pixels", b.Pixels);
                    w.WriteNumber("recalledPixels", b.RecalledPixels);
                    Number(w, "pixelRecall", b.PixelRecall);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.Agreement is { } agreement)
            {
                w.WriteStartObject("agreement");
                w.WriteString("reference", agreement.Reference);
                w.WriteNumber("pixels", agreement.Pixels);
                w.WriteNumber("equal", agreement.Equal);
                Number(w, "share", agreement.Share);
                Number(w, "lowestImage", agreement.LowestImage);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
