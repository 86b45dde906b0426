using System.Text.Json;

namespace Autoencoders.Evaluation;

/// <summary>
/// Reads NAB's label file of anomaly windows (<c>labels/combined_windows.json</c>): each data file's relative path
/// (<c>realKnownCause/nyc_taxi.csv</c>) mapped to its windows, each a pair of timestamps
/// <c>["2014-10-30 15:30:00.000000", "2014-11-03 22:30:00.000000"]</c>.
/// </summary>
/// <remarks>
/// <example>
/// <code>
/// var windows = NabWindows.Read("samples/data/nab/labels/combined_windows.json");
/// IReadOnlyList&lt;NabWindow&gt; taxi = windows["realKnownCause/nyc_taxi.csv"];     // 5 windows
/// </code>
/// </example>
/// </remarks>
public static class NabWindows
{
    /// <summary>Reads a windows file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>Each file's windows, keyed by its relative path with <c>/</c> separators, in the file's order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not in NAB's format, or a window ends before it starts.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), $"NAB windows file '{path}'");
    }

    /// <summary>Reads windows from JSON text in NAB's format.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>Each file's windows, keyed by its relative path with <c>/</c> separators, in the text's order.</returns>
    /// <exception cref="InvalidDataException">The text is not in NAB's format, or a window ends before it starts.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(json, "NAB windows JSON");
    }

    private static Dictionary<string, IReadOnlyList<NabWindow>> Parse(string json, string source)
    {
        using var document = NabJson.ParseObject(json, source, "file paths to lists of [start, end] timestamp pairs");
        var result = new Dictionary<string, IReadOnlyList<NabWindow>>(StringComparer.Ordinal);
        foreach (var file in document.RootElement.EnumerateObject())
        {
            var name = NabFile.NormalizeName(file.Name);
            if (file.Value.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"The {source}: the entry for '{file.Name}' must be a list of [start, end] pairs.");
            }

            var windows = new List<NabWindow>();
            foreach (var pair in file.Value.EnumerateArray())
            {
                var where = $"The {source}, window {windows.Count + 1} of '{file.Name}'";
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                    || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{where} must be a pair of timestamp strings [start, end].");
                }

                var start = NabTimestamp.Parse(pair[0].GetString()!, where);
                var end = NabTimestamp.Parse(pair[1].GetString()!, where);
                if (end < start)
                {
                    throw new InvalidDataException($"{where} ends ({pair[1].GetString()}) before it starts ({pair[0].GetString()}).");
                }

                windows.Add(new NabWindow(start, end));
            }

            if (!result.TryAdd(name, windows))
            {
                throw new InvalidDataException($"The {source} lists '{file.Name}' twice.");
            }
        }

        return result;
    }
}
