namespace EdgeSeg.Trainer.Datasets;

/// <summary>
/// Checks every file of the requested splits and decodes the samples in parallel, resized to the training size.
/// All problems are collected (split lists, missing files, decode failures, size mismatches, multi-channel masks,
/// values outside the class list), each with its file, so one run reports everything that needs fixing.
/// </summary>
internal static class DatasetLoader
{
    /// <summary>Checks and (optionally) loads the samples of <paramref name="requests"/>.</summary>
    /// <param name="requests">The splits to read.</param>
    /// <param name="space">The label space the masks are mapped into.</param>
    /// <param name="size">Resize every sample to this size, or null to keep each at its own size.</param>
    /// <param name="keepSamples">False to only check (decoded samples are dropped at once, keeping memory flat).</param>
    /// <param name="threads">Decoding threads.</param>
    /// <param name="progress">Receives the count of samples done so far, from decoding threads.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    public static DatasetLoadResult Load(
        IReadOnlyList<SplitRequest> requests,
        LabelSpace space,
        (int Width, int Height)? size,
        bool keepSamples,
        int threads,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var problems = new List<DatasetProblem>();
        var work = new List<(int Request, int Position, string Stem, byte[] Lookup)>();
        var results = new Sample?[requests.Count][];
        for (var r = 0; r < requests.Count; r++)
        {
            var stems = ReadStems(requests[r], problems);
            if (requests[r].Limit is { } limit && stems.Count > limit)
            {
                stems.RemoveRange(limit, stems.Count - limit);
            }

            results[r] = new Sample?[stems.Count];
            var lookup = space.LookupFor(requests[r].Dataset.Description);
            for (var i = 0; i < stems.Count; i++)
            {
                work.Add((r, i, stems[i], lookup));
            }
        }

        var done = 0;
        Parallel.For(
            0,
            work.Count,
            new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            k =>
            {
                var (r, i, stem, lookup) = work[k];
                var request = requests[r];
                var sample = SampleReader.Read(request.Dataset, request.DatasetIndex, stem, lookup, size, problems);
                if (keepSamples)
                {
                    results[r][i] = sample;
                }

                progress?.Report(Interlocked.Increment(ref done));
            });

        IReadOnlyList<IReadOnlyList<Sample>> samples = problems.Count == 0 && keepSamples
            ? [.. results.Select(list => (IReadOnlyList<Sample>)[.. list.Select(s => s!)])]
            : [.. results.Select(_ => (IReadOnlyList<Sample>)[])];
        var sorted = problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Message, StringComparer.Ordinal).ToList();
        return new DatasetLoadResult(samples, sorted, work.Count);
    }

    private static List<string> ReadStems(SplitRequest request, List<DatasetProblem> problems)
    {
        var path = request.Dataset.SplitPath(request.Split);
        if (!File.Exists(path))
        {
            problems.Add(new DatasetProblem(path, $"split list missing: dataset {request.Dataset.Name} has no {request.Split}.txt"));
            return [];
        }

        var before = problems.Count;
        var stems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            var stem = raw.Trim();
            if (stem.Length == 0)
            {
                continue;
            }

            if (stem.Contains('/', StringComparison.Ordinal) || stem.Contains('\\', StringComparison.Ordinal) || stem.Contains("..", StringComparison.Ordinal))
            {
                problems.Add(new DatasetProblem(path, $"line {line}: '{stem}' is not a stem (a file name without folder or extension)"));
                continue;
            }

            if (!seen.Add(stem))
            {
                problems.Add(new DatasetProblem(path, $"line {line}: '{stem}' is listed twice"));
                continue;
            }

            stems.Add(stem);
        }

        if (stems.Count == 0 && problems.Count == before)
        {
            problems.Add(new DatasetProblem(path, "split list is empty"));
        }

        return stems;
    }
}
