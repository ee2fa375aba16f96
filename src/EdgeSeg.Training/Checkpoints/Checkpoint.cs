using System.Globalization;
using EdgeSeg.Training.Modules;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;

namespace EdgeSeg.Training.Checkpoints;

/// <summary>
/// Training checkpoints as safetensors files: the model's state dict under its own names (so other tools read the
/// weights directly), the optimiser's state under <c>optimizer.{parameter}.{slot}</c>, and in <c>__metadata__</c>
/// the format, epoch, optimiser kind, step count and learning rate, plus any caller metadata.
/// </summary>
public static class Checkpoint
{
    /// <summary>The value of the <c>format</c> metadata key.</summary>
    public const string Format = "edgeseg-checkpoint/1";

    private const string OptimizerPrefix = "optimizer.";

    /// <summary>Saves <paramref name="model"/> (and <paramref name="optimizer"/> state when given) after <paramref name="epoch"/>.</summary>
    public static void Save(string path, Module model, Optimizer? optimizer, int epoch, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var tensors = new List<KeyValuePair<string, Tensor>>(model.StateDict());
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
        };
        if (optimizer is not null)
        {
            meta["optimizer"] = optimizer.Kind;
            meta["optimizer.step"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
            meta["optimizer.lr"] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
            foreach (var (k, v) in optimizer.StateDict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                tensors.Add(new(OptimizerPrefix + k, v));
            }
        }

        if (metadata is not null)
        {
            foreach (var (k, v) in metadata)
            {
                if (!meta.TryAdd(k, v))
                {
                    throw new ArgumentException($"metadata key '{k}' is reserved by the checkpoint format.", nameof(metadata));
                }
            }
        }

        SafeTensors.Write(path, tensors, meta);
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="model"/> (strict: names and shapes must match) and, when given,
    /// <paramref name="optimizer"/> (its kind must match). Returns the epoch and all metadata.
    /// </summary>
    /// <exception cref="InvalidDataException">Not an EdgeSeg checkpoint, or it does not fit the model or optimiser.</exception>
    public static CheckpointInfo Load(string path, Module model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (tensors, meta) = SafeTensors.Read(path);
        if (!meta.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"{path}: not an EdgeSeg checkpoint (metadata 'format' is '{format}', expected '{Format}').");
        }

        if (!meta.TryGetValue("epoch", out var epochText) || !int.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            throw new InvalidDataException($"{path}: metadata 'epoch' is missing or not an integer.");
        }

        var modelState = tensors.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        try
        {
            model.LoadStateDict(modelState);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint does not fit the model: {e.Message}", e);
        }

        if (optimizer is not null)
        {
            meta.TryGetValue("optimizer", out var kind);
            if (kind != optimizer.Kind)
            {
                throw new InvalidDataException($"{path}: the checkpoint holds optimiser state of kind '{kind}', not '{optimizer.Kind}'.");
            }

            var step = long.Parse(meta["optimizer.step"], CultureInfo.InvariantCulture);
            var state = tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
            try
            {
                optimizer.LoadStateDict(state, step);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: the optimiser state does not fit: {e.Message}", e);
            }
        }

        return new CheckpointInfo(epoch, meta);
    }
}
