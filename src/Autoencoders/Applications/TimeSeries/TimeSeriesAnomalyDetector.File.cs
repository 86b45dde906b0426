using System.Globalization;
using System.Text.Json;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;

namespace Autoencoders.Applications;

/// <summary>Saving and loading a time-series detector: the model file's application entries.</summary>
public sealed partial class TimeSeriesAnomalyDetector
{
    private const string Application = "time-series-detector";

    /// <summary>Saves the model (with its per-channel scaler), the window, the channels, the threshold, the calibration
    /// scores and the scoring options to one file, atomically.</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path)
    {
        var fields = new Dictionary<string, string>
        {
            ["channels"] = Invariant(ChannelCount),
            ["window_length"] = Invariant(WindowLength),
            ["stride"] = Invariant(Options.Stride),
            ["time_features"] = Options.TimeFeatures.ToString(),
            ["missing_values"] = Options.MissingValues.ToString(),
            ["seed"] = Invariant(Options.Seed),
            ["threshold"] = DecisionThreshold.ToString("R", CultureInfo.InvariantCulture),
            ["threshold_rule"] = ThresholdRule,
        };
        if (ChannelNames is not null)
        {
            fields["channel_names"] = JsonSerializer.Serialize(ChannelNames);
        }

        if (Options.Postprocessing is not null)
        {
            fields["postprocessing"] = JsonSerializer.Serialize(Options.Postprocessing);
        }

        if (Options.Refit is not null)
        {
            fields["refit"] = JsonSerializer.Serialize(Options.Refit);
        }

        var calibration = _calibration.Select(v => (float)v).ToArray();
        ModelFile.Write(path, new ModelFileContents(Model)
        {
            Application = new ModelFileApplication(Application, fields),
            Vectors = new Dictionary<string, float[]> { ["calibration"] = calibration },
        });
    }

    /// <summary>Loads a detector saved by <see cref="Save"/>; it scores exactly as the saved one did. Its
    /// <see cref="Options"/> hold what scoring needs; their <see cref="TimeSeriesDetectorOptions.Threshold"/> is the saved
    /// threshold as <see cref="Threshold.Fixed"/> and <see cref="TimeSeriesDetectorOptions.Training"/> is null, which is what
    /// periodic refits of a loaded detector use.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ModelFileException">The file is not a time-series detector file, or is corrupt.</exception>
    public static TimeSeriesAnomalyDetector Load(string path)
    {
        var contents = ModelFile.Read(path);
        var model = contents.Model;
        try
        {
            var metadata = contents.FieldsOf(path, Application, "a time-series detector");
            var full = Path.GetFullPath(path);

            if (!int.TryParse(metadata.GetValueOrDefault("channels"), NumberStyles.None, CultureInfo.InvariantCulture, out var channels) || channels < 1 ||
                !int.TryParse(metadata.GetValueOrDefault("window_length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                !int.TryParse(metadata.GetValueOrDefault("stride"), NumberStyles.None, CultureInfo.InvariantCulture, out var stride) ||
                !long.TryParse(metadata.GetValueOrDefault("seed"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed) ||
                !Enum.TryParse<TimeFeatures>(metadata.GetValueOrDefault("time_features"), out var features) ||
                !Enum.TryParse<MissingValues>(metadata.GetValueOrDefault("missing_values"), out var missing) || !Enum.IsDefined(missing) ||
                !double.TryParse(metadata.GetValueOrDefault("threshold"), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold) ||
                !contents.Vectors.TryGetValue("calibration", out var calibration) || calibration.Length == 0 || !calibration.All(float.IsFinite))
            {
                throw new ModelFileException(full, "the time-series detector's window, channels, threshold or calibration scores are missing or invalid.");
            }

            var options = new TimeSeriesDetectorOptions
            {
                WindowLength = length,
                Stride = stride,
                Spec = model.Spec,
                TimeFeatures = features,
                Threshold = Threshold.Fixed(threshold),
                Postprocessing = Deserialize<SeriesPostprocessing>(full, metadata, "postprocessing"),
                MissingValues = missing,
                Refit = Deserialize<SeriesRefit>(full, metadata, "refit"),
                ChannelNames = Deserialize<string[]>(full, metadata, "channel_names"),
                Seed = seed,
            };
            SeriesLayout layout;
            try
            {
                layout = SeriesLayout.Create(options, channels, nameof(path));
                layout.CheckSpec(model.Spec, nameof(path));
            }
            catch (ArgumentException e)
            {
                throw new ModelFileException(full, $"the time-series detector's settings do not fit together: {e.Message}", e);
            }

            var rule = metadata.GetValueOrDefault("threshold_rule") ?? "unknown";
            return new TimeSeriesAnomalyDetector(model, options, channels, threshold, rule, calibration.Select(v => (double)v).ToArray(), history: null, warnings: []);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static T? Deserialize<T>(string path, IReadOnlyDictionary<string, string> metadata, string key)
        where T : class
    {
        if (!metadata.TryGetValue(key, out var json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json) ?? throw new ModelFileException(path, $"the time-series detector's {key} is null.");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"the time-series detector's {key} is not valid JSON for {typeof(T).Name}.", e);
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
