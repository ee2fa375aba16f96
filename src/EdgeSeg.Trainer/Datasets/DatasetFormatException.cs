namespace EdgeSeg.Trainer.Datasets;

/// <summary>A dataset file (classes.json, a split list) is missing or malformed; the message names the file and field.</summary>
internal sealed class DatasetFormatException : Exception
{
    public DatasetFormatException()
    {
    }

    public DatasetFormatException(string message)
        : base(message)
    {
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
