using System.Globalization;

namespace Autoencoders.Evaluation;

/// <summary>
/// Reads the timestamps of NAB's files: <c>2014-04-10 07:15:00</c> in the series and results CSVs,
/// <c>2014-04-10 07:15:00.000000</c> in the label files, both naive (no time zone), as NAB's pandas reads them.
/// </summary>
internal static class NabTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd",
    ];

    public static bool TryParse(string text, out DateTime timestamp) =>
        DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);

    /// <summary>The timestamp, or an <see cref="InvalidDataException"/> that says where it was and what is accepted.</summary>
    public static DateTime Parse(string text, string where) =>
        TryParse(text, out var timestamp)
            ? timestamp
            : throw new InvalidDataException(
                $"{where}: '{text}' is not a timestamp; NAB's files write them as 'yyyy-MM-dd HH:mm:ss' (optionally with a fraction of a second).");
}
