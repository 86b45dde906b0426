namespace Autoencoders.Samples;

/// <summary>The anomalies planted in samples/data/sensors-example.csv (written by the Gallery's tabular sample).</summary>
internal static class SensorsExample
{
    /// <summary>The file's name in samples/data.</summary>
    public const string FileName = "sensors-example.csv";

    /// <summary>The corrupted rows (1-based data rows) and how each was corrupted.</summary>
    public static readonly IReadOnlyDictionary<int, string> Anomalies = new Dictionary<int, string>
    {
        [57] = "vibration_mm_s far too high for the load",
        [123] = "outlet_temp_c below inlet_temp_c",
        [201] = "power_kw high while flow_l_min is normal",
        [288] = "pressure_bar and flow_l_min disagree",
        [350] = "rpm doubled",
        [417] = "every sensor slightly off at once",
    };

    /// <summary>Whether each data row (0-based) is one of the planted anomalies.</summary>
    public static bool[] Labels(int rowCount) => Enumerable.Range(1, rowCount).Select(Anomalies.ContainsKey).ToArray();
}
