namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// A dataset folder: <c>images/&lt;stem&gt;.jpg|.png</c>, <c>masks/&lt;stem&gt;.png</c> (8-bit single-channel source
/// class indices), split lists (<c>train.txt</c>, <c>val.txt</c>, <c>test.txt</c>) and <c>classes.json</c>.
/// Opening reads only classes.json; <see cref="DatasetLoader"/> checks and decodes every file.
/// </summary>
internal sealed class Dataset
{
    /// <summary>Image file extensions looked for, in order.</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp"];

    private Dataset(string directory, DatasetDescription description)
    {
        Directory = directory;
        Description = description;
    }

    /// <summary>The dataset folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The parsed classes.json.</summary>
    public DatasetDescription Description { get; }

    /// <summary>The dataset's name.</summary>
    public string Name => Description.Name;

    /// <summary>Opens <paramref name="directory"/> and reads its classes.json.</summary>
    /// <exception cref="DatasetFormatException">The folder or its classes.json is missing or malformed.</exception>
    public static Dataset Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DatasetFormatException($"{directory}: dataset folder not found.");
        }

        return new Dataset(full, DatasetDescription.Load(Path.Combine(full, DatasetDescription.FileName)));
    }

    /// <summary>The path of split list <paramref name="split"/> (<c>train</c> gives <c>train.txt</c>).</summary>
    public string SplitPath(string split) => Path.Combine(Directory, split + ".txt");

    /// <summary>Whether the split list exists.</summary>
    public bool HasSplit(string split) => File.Exists(SplitPath(split));

    /// <summary>The stems of <paramref name="split"/>, in file order, blank lines skipped.</summary>
    /// <exception cref="DatasetFormatException">The split list does not exist.</exception>
    public IReadOnlyList<string> ReadSplit(string split)
    {
        var path = SplitPath(split);
        if (!File.Exists(path))
        {
            throw new DatasetFormatException($"{path}: split list not found (dataset {Name} has no '{split}' split).");
        }

        return [.. File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    /// <summary>The image of <paramref name="stem"/>: the first existing <c>images/stem.ext</c>, else the .jpg path.</summary>
    public string ImagePath(string stem)
    {
        foreach (var ext in ImageExtensions)
        {
            var path = Path.Combine(Directory, "images", stem + ext);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return Path.Combine(Directory, "images", stem + ImageExtensions[0]);
    }

    /// <summary>The mask of <paramref name="stem"/>: <c>masks/stem.png</c>.</summary>
    public string MaskPath(string stem) => Path.Combine(Directory, "masks", stem + ".png");
}
