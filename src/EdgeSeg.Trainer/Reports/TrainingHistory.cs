using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSeg.Trainer.Reports;

/// <summary>The per-epoch records of a run, saved beside the checkpoints so a resumed run keeps its curves.</summary>
internal sealed class TrainingHistory
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly List<EpochRecord> _epochs = [];

    /// <summary>The epochs so far, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>The trained epoch (1 or later; epoch 0 is the untrained model) with the best validation mIoU, or null.</summary>
    public EpochRecord? Best => _epochs.Where(e => e.Epoch > 0 && double.IsFinite(e.ValidationMeanIoU)).MaxBy(e => e.ValidationMeanIoU);

    /// <summary>Appends an epoch, dropping any later records (after a resume from an earlier checkpoint).</summary>
    public void Add(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _epochs.RemoveAll(e => e.Epoch >= record.Epoch);
        _epochs.Add(record);
    }

    /// <summary>Keeps only epochs up to <paramref name="epoch"/>.</summary>
    public void TruncateAfter(int epoch) => _epochs.RemoveAll(e => e.Epoch > epoch);

    /// <summary>Writes the history as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(_epochs, Json));

    /// <summary>Reads a saved history; an empty history when the file does not exist.</summary>
    /// <exception cref="JsonException">The file is not a saved history.</exception>
    public static TrainingHistory Load(string path)
    {
        var history = new TrainingHistory();
        if (File.Exists(path))
        {
            history._epochs.AddRange(JsonSerializer.Deserialize<List<EpochRecord>>(File.ReadAllText(path), Json) ?? []);
        }

        return history;
    }
}
