namespace EdgeSeg.Trainer.Training;

/// <summary>The files of a checkpoint folder.</summary>
internal static class CheckpointFiles
{
    /// <summary>The checkpoint after the last completed epoch (or written on Ctrl-C or SIGTERM); <c>--resume</c> starts here.</summary>
    public const string Last = "last.safetensors";

    /// <summary>The checkpoint with the best validation mIoU so far; exported at the end.</summary>
    public const string Best = "best.safetensors";

    /// <summary>The per-epoch history (curves survive a resume).</summary>
    public const string History = "history.json";
}
