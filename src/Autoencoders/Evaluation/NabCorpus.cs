namespace Autoencoders.Evaluation;

/// <summary>
/// A labelled NAB corpus, and the scorer of a detector's per-row anomaly scores on it: NAB's raw and normalised
/// scores at a given threshold, and at the threshold that maximises the corpus score for a profile.
/// </summary>
/// <remarks>
/// <para>The rules are NAB v1.1's (see <see cref="NabScoring"/>): a row is a detection when its score is at or above
/// the threshold; detections in the probationary period are ignored; only the earliest detection in a window
/// counts, weighted by how early it is; every detection outside the windows costs, by its distance after the
/// preceding window; a missed window costs −fnWeight. The files' raw scores add up to the corpus's, which is
/// normalised as 100·(S − S_null)/(S_perfect − S_null).</para>
/// <para>NAB tunes each detector's threshold per profile on the whole corpus. <see cref="OptimizeThreshold"/> does
/// it exactly: it sorts every scored row once and sweeps all distinct score values (O(n log n) for n rows),
/// and among equally good thresholds returns the highest (the fewest detections).</para>
/// <example>
/// <code>
/// var corpus = NabCorpus.Load("samples/data/nab");                      // data/ + labels/combined_windows.json
/// var scores = corpus.Files.ToDictionary(f => f.Name, f => MyDetector.Score(f.Series));   // [0, 1] per row, causal
/// foreach (var profile in NabProfile.All)
/// {
///     NabCorpusScore best = corpus.OptimizeThreshold(scores, profile);
///     Console.WriteLine($"{profile.Name}: {best.NormalizedScore:F2} at threshold {best.Threshold}");
/// }
///
/// // A published detector's results, at its published threshold:
/// var htm = corpus.ReadResults("samples/data/nab/results/numenta", "numenta");
/// double standard = corpus.Score(htm, NabProfile.Standard, threshold: 0.5421876907348634).NormalizedScore;   // 58.13
/// </code>
/// </example>
/// </remarks>
public sealed class NabCorpus
{
    /// <summary>The file NAB keeps its windows in, relative to the corpus root.</summary>
    public const string WindowsFile = "labels/combined_windows.json";

    private readonly NabFile[] _files;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _firstWindow;

    /// <summary>Makes a corpus of labelled files.</summary>
    /// <param name="files">The files; their names must differ.</param>
    /// <exception cref="ArgumentException">There is no file, or two have the same name.</exception>
    public NabCorpus(IEnumerable<NabFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = files.ToArray();
        if (_files.Length == 0)
        {
            throw new ArgumentException("A corpus needs at least one file.", nameof(files));
        }

        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        _firstWindow = new int[_files.Length];
        for (var i = 0; i < _files.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_files[i], nameof(files));
            if (!_index.TryAdd(_files[i].Name, i))
            {
                throw new ArgumentException($"The corpus holds two files named '{_files[i].Name}'.", nameof(files));
            }

            _firstWindow[i] = WindowCount;
            WindowCount += _files[i].Windows.Count;
        }
    }

    /// <summary>The files, in the order given (by name for <see cref="Load"/>).</summary>
    public IReadOnlyList<NabFile> Files => _files;

    /// <summary>The number of anomaly windows over all files.</summary>
    public int WindowCount { get; }

    /// <summary>The file of that name.</summary>
    /// <param name="name">The file's name, e.g. <c>realKnownCause/nyc_taxi.csv</c>.</param>
    /// <exception cref="KeyNotFoundException">No file has that name.</exception>
    public NabFile this[string name] =>
        _index.TryGetValue(NabFile.NormalizeName(name), out var i)
            ? _files[i]
            : throw new KeyNotFoundException($"The corpus has no file '{name}'; its files are {string.Join(", ", _files.Select(f => f.Name))}.");

    /// <summary>Loads a corpus laid out as NAB's repository is: <c>data/&lt;category&gt;/&lt;file&gt;.csv</c> and
    /// <c>labels/combined_windows.json</c>, which names the files that belong to it.</summary>
    /// <param name="root">The corpus folder (e.g. <c>samples/data/nab</c>).</param>
    /// <returns>The files listed in the windows file, ordered by name.</returns>
    /// <exception cref="FileNotFoundException">The windows file or a data file it names does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not in NAB's format, or a window covers no row or overlaps another.</exception>
    public static NabCorpus Load(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var windowsPath = Path.Combine(root, WindowsFile);
        if (!File.Exists(windowsPath))
        {
            throw new FileNotFoundException($"'{Path.GetFullPath(root)}' is not a NAB corpus folder: it has no {WindowsFile}.", windowsPath);
        }

        var files = new List<NabFile>();
        foreach (var (name, windows) in NabWindows.Read(windowsPath).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var dataPath = Path.Combine(root, "data", name);
            if (!File.Exists(dataPath))
            {
                throw new FileNotFoundException($"{WindowsFile} names '{name}', but the corpus has no data file '{dataPath}'.", dataPath);
            }

            try
            {
                files.Add(new NabFile(name, NabSeries.Read(dataPath), windows));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The NAB corpus '{root}': {e.Message}", e);
            }
        }

        return new NabCorpus(files);
    }

    /// <summary>Reads a detector's results folder in NAB's layout: <c>&lt;category&gt;/&lt;detector&gt;_&lt;file&gt;.csv</c>
    /// (or <c>.csv.gz</c>) for every file of the corpus, each checked row by row against the file's timestamps.</summary>
    /// <param name="folder">The detector's results folder, e.g. <c>results/numenta</c>.</param>
    /// <param name="detector">The detector's name as it prefixes the file names, e.g. <c>numenta</c>.</param>
    /// <returns>Each file's anomaly scores, keyed by the file's name: what <see cref="Score"/> and
    /// <see cref="OptimizeThreshold"/> take.</returns>
    /// <exception cref="FileNotFoundException">A file of the corpus has no results file.</exception>
    /// <exception cref="InvalidDataException">A results file is unreadable, or its rows do not match the data file's.</exception>
    public IReadOnlyDictionary<string, double[]> ReadResults(string folder, string detector)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(detector);
        var scores = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var file in _files)
        {
            var category = Path.GetDirectoryName(file.Name) ?? "";
            var csv = Path.Combine(folder, category, $"{detector}_{Path.GetFileName(file.Name)}");
            var path = File.Exists(csv) ? csv : csv + ".gz";
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Detector '{detector}' has no results for '{file.Name}': neither '{csv}' nor '{csv}.gz' exists.", csv);
            }

            var results = NabResults.Read(path);
            if (results.Timestamps.Count != file.Count)
            {
                throw new InvalidDataException($"The NAB results file '{path}' has {results.Timestamps.Count} rows; the data file '{file.Name}' has {file.Count}.");
            }

            for (var row = 0; row < file.Count; row++)
            {
                if (results.Timestamps[row] != file.Series.Timestamps[row])
                {
                    throw new InvalidDataException(
                        $"The NAB results file '{path}', row {row + 1}: timestamp {results.Timestamps[row]:yyyy-MM-dd HH:mm:ss} where the data file '{file.Name}' has {file.Series.Timestamps[row]:yyyy-MM-dd HH:mm:ss}.");
                }
            }

            scores.Add(file.Name, results.AnomalyScores.ToArray());
        }

        return scores;
    }

    /// <summary>Scores a detector at a given threshold.</summary>
    /// <param name="scores">Each file's anomaly score per row, keyed by file name; every file of the corpus, finite
    /// values (NAB's detectors give scores in [0, 1]).</param>
    /// <param name="profile">The weights of detections, false positives and missed windows.</param>
    /// <param name="threshold">A row is a detection when its score is at or above this.</param>
    /// <returns>The raw, null, perfect and normalised scores, and each file's part.</returns>
    /// <exception cref="ArgumentException">A file is missing from <paramref name="scores"/> or has the wrong number of
    /// scores, a score is not finite, a name is not in the corpus, or the threshold is NaN.</exception>
    public NabCorpusScore Score(IReadOnlyDictionary<string, double[]> scores, NabProfile profile, double threshold)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentException("The threshold is NaN.", nameof(threshold));
        }

        var aligned = Align(scores);
        var files = new NabFileScore[_files.Length];
        double raw = 0, nullScore = 0;
        for (var i = 0; i < _files.Length; i++)
        {
            files[i] = ScoreFile(_files[i], aligned[i], profile, threshold);
            raw += files[i].RawScore;
            nullScore -= profile.FalseNegativeWeight * _files[i].ScoredWindowCount;
        }

        return new NabCorpusScore(profile, threshold, raw, nullScore, profile.TruePositiveWeight * WindowCount, files);
    }

    /// <summary>Scores a detector at the threshold that maximises its corpus score for the profile, as NAB tunes
    /// every detector: an exact sweep over the distinct score values of all rows after the probationary periods.</summary>
    /// <param name="scores">Each file's anomaly score per row, keyed by file name (as for <see cref="Score"/>).</param>
    /// <param name="profile">The weights of detections, false positives and missed windows.</param>
    /// <returns>The score at the best threshold (<see cref="NabCorpusScore.Threshold"/>; the highest of equally good
    /// ones, <see cref="double.PositiveInfinity"/> when detecting nothing is best).</returns>
    /// <exception cref="ArgumentException">As for <see cref="Score"/>.</exception>
    public NabCorpusScore OptimizeThreshold(IReadOnlyDictionary<string, double[]> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var aligned = Align(scores);

        var count = 0;
        for (var i = 0; i < _files.Length; i++)
        {
            count += _files[i].Count - _files[i].ProbationaryLength;
        }

        // Every scored row of the corpus: its anomaly score (the sort key), and what detecting it changes.
        var keys = new double[count];
        var window = new int[count];      // the row's window, numbered over the corpus, or -1 outside windows
        var gain = new double[count];     // weighted credit: positive in a window, negative outside
        var order = new int[count];
        var m = 0;
        var running = 0.0;                // the raw score with no detection: every scored window missed
        for (var i = 0; i < _files.Length; i++)
        {
            var file = _files[i];
            var rowWindow = file.RowWindow;
            var credit = file.RowCredit;
            for (var row = file.ProbationaryLength; row < file.Count; row++, m++)
            {
                keys[m] = aligned[i][row];
                order[m] = m;
                window[m] = rowWindow[row] < 0 ? -1 : _firstWindow[i] + rowWindow[row];
                gain[m] = credit[row] * (rowWindow[row] < 0 ? profile.FalsePositiveWeight : profile.TruePositiveWeight);
            }

            running -= profile.FalseNegativeWeight * file.ScoredWindowCount;
        }

        Array.Sort(keys, order);

        // Lower the threshold through the distinct scores, highest first; each row that becomes a detection
        // adds its false-positive cost, or lifts its window from -fnWeight to its best (earliest) detection.
        var windowScore = new double[WindowCount];
        Array.Fill(windowScore, -profile.FalseNegativeWeight);
        var best = running;
        var bestThreshold = double.PositiveInfinity;
        for (var k = count - 1; k >= 0;)
        {
            var threshold = keys[k];
            for (; k >= 0 && keys[k] == threshold; k--)
            {
                var row = order[k];
                if (window[row] < 0)
                {
                    running += gain[row];
                }
                else if (gain[row] > windowScore[window[row]])
                {
                    running += gain[row] - windowScore[window[row]];
                    windowScore[window[row]] = gain[row];
                }
            }

            if (running > best)
            {
                best = running;
                bestThreshold = threshold;
            }
        }

        return Score(scores, profile, bestThreshold);
    }

    private static NabFileScore ScoreFile(NabFile file, double[] scores, NabProfile profile, double threshold)
    {
        var rowWindow = file.RowWindow;
        var credit = file.RowCredit;
        var detected = new bool[file.Windows.Count];
        double raw = 0;
        var falsePositives = 0;
        for (var row = file.ProbationaryLength; row < file.Count; row++)
        {
            if (scores[row] < threshold)
            {
                continue;
            }

            var w = rowWindow[row];
            if (w < 0)
            {
                raw += profile.FalsePositiveWeight * credit[row];
                falsePositives++;
            }
            else if (!detected[w])
            {
                // Rows come in time order, so the first detection in a window is its earliest (and best) one.
                detected[w] = true;
                raw += profile.TruePositiveWeight * credit[row];
            }
        }

        var hits = detected.Count(d => d);
        var missed = file.ScoredWindowCount - hits;
        raw -= profile.FalseNegativeWeight * missed;
        return new NabFileScore(file.Name, raw, hits, missed, falsePositives);
    }

    /// <summary>The scores in the corpus's file order, checked.</summary>
    private double[][] Align(IReadOnlyDictionary<string, double[]> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        foreach (var name in scores.Keys)
        {
            if (!_index.ContainsKey(NabFile.NormalizeName(name)))
            {
                throw new ArgumentException($"There are scores for '{name}', which is not a file of the corpus.", nameof(scores));
            }
        }

        var aligned = new double[_files.Length][];
        for (var i = 0; i < _files.Length; i++)
        {
            var file = _files[i];
            if (!scores.TryGetValue(file.Name, out var fileScores) || fileScores is null)
            {
                throw new ArgumentException($"There are no scores for '{file.Name}'; give every file of the corpus a score per row.", nameof(scores));
            }

            if (fileScores.Length != file.Count)
            {
                throw new ArgumentException($"'{file.Name}' has {file.Count} rows but {fileScores.Length} scores; give one score per row.", nameof(scores));
            }

            var bad = Array.FindIndex(fileScores, s => !double.IsFinite(s));
            if (bad >= 0)
            {
                throw new ArgumentException($"'{file.Name}', row {bad} ({file.Series.Timestamps[bad]:yyyy-MM-dd HH:mm:ss}): the score {fileScores[bad]} is not a finite number.", nameof(scores));
            }

            aligned[i] = fileScores;
        }

        return aligned;
    }
}
