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
    private const string MemberPrefix = "member";

    /// <summary>Saves the model (with its per-channel scaler) and the ensemble's other models, the window, the channels, the
    /// threshold, the calibration scores and the scoring options to one file, atomically.</summary>
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
            ["ensemble_size"] = Invariant(Models.Count),
            ["threshold"] = DecisionThreshold.ToString("R", CultureInfo.InvariantCulture),
            ["threshold_rule"] = ThresholdRule,
        };
        ThresholdFields.Write(fields, Options.Threshold);
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
        // The other models of an ensemble share the first one's spec and scaler: their state dicts are stored as blobs.
        var blobs = Models.Skip(1).SelectMany((member, i) => StateBlobs.Of($"{MemberPrefix}{i + 1}.", member.state_dict())).ToDictionary();
        ModelFile.Write(path, new ModelFileContents(Model)
        {
            Application = new ModelFileApplication(Application, fields),
            Vectors = new Dictionary<string, float[]> { ["calibration"] = calibration },
            Blobs = blobs,
        });
    }

    /// <summary>Loads a detector saved by <see cref="Save"/>; it scores exactly as the saved one did. Its
    /// <see cref="Options"/> hold what scoring and periodic refits need (the rule the threshold came from included);
    /// <see cref="TimeSeriesDetectorOptions.Training"/> is null, so refits of a loaded detector train with
    /// <see cref="DefaultSeriesArchitecture.Training"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="device">Where the loaded models compute: "cpu", "cuda" or "cuda:N"; the file may come from any device.</param>
    /// <exception cref="ModelFileException">The file is not a time-series detector file, is corrupt, or its fields do not
    /// hold together (a threshold its rule does not give, settings that do not fit the model, weights that are not finite).</exception>
    /// <exception cref="ArgumentException">The device is not "cpu", "cuda" or "cuda:N".</exception>
    public static TimeSeriesAnomalyDetector Load(string path, string device = "cpu")
    {
        var target = Devices.Parse(device, nameof(device));
        var contents = ModelFile.Read(path, target);
        var model = contents.Model;
        try
        {
            var metadata = contents.FieldsOf(path, Application, "a time-series detector");
            var full = Path.GetFullPath(path);

            if (!int.TryParse(metadata.GetValueOrDefault("channels"), NumberStyles.None, CultureInfo.InvariantCulture, out var channels) || channels < 1 ||
                !int.TryParse(metadata.GetValueOrDefault("window_length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                !int.TryParse(metadata.GetValueOrDefault("stride"), NumberStyles.None, CultureInfo.InvariantCulture, out var stride) ||
                !long.TryParse(metadata.GetValueOrDefault("seed"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed) ||
                !int.TryParse(metadata.GetValueOrDefault("ensemble_size"), NumberStyles.None, CultureInfo.InvariantCulture, out var ensemble) || ensemble < 1 ||
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
                Threshold = ThresholdFields.Read(full, metadata, threshold, calibration.Select(v => (double)v).Order().ToArray())
                    ?? throw new ModelFileException(full, "the time-series detector's threshold rule (app.threshold_kind) is missing."),
                Postprocessing = Deserialize<SeriesPostprocessing>(full, metadata, "postprocessing"),
                MissingValues = missing,
                Refit = Deserialize<SeriesRefit>(full, metadata, "refit"),
                ChannelNames = Deserialize<string[]>(full, metadata, "channel_names"),
                EnsembleSize = ensemble,
                Device = device,
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

            var models = new List<Autoencoder> { model };
            try
            {
                for (var member = 1; member < ensemble; member++)
                {
                    models.Add(Member(full, $"{MemberPrefix}{member}.", contents.Blobs, model, target));
                }

                RequireFiniteWeights(full, models);
                var prefixes = Enumerable.Range(1, ensemble - 1).Select(i => $"{MemberPrefix}{i}.").ToArray();
                if (contents.Blobs.Keys.Any(k => !prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))))
                {
                    throw new ModelFileException(full, $"the time-series detector holds tensors of more ensemble members than the {ensemble} it names.");
                }
            }
            catch
            {
                foreach (var member in models.Skip(1))
                {
                    member.Dispose();
                }

                throw;
            }

            var rule = metadata.GetValueOrDefault("threshold_rule") ?? "unknown";
            return new TimeSeriesAnomalyDetector(models, options, channels, threshold, rule, calibration.Select(v => (double)v).ToArray(), history: null, warnings: []);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>An ensemble member: the first model's spec and scaler, the weights stored under <paramref name="prefix"/>.</summary>
    private static Autoencoder Member(string path, string prefix, IReadOnlyDictionary<string, byte[]> blobs, Autoencoder first, TorchSharp.torch.Device device)
    {
        var state = StateBlobs.Read(path, prefix, blobs, first)
            ?? throw new ModelFileException(path, $"the time-series detector names an ensemble member '{prefix.TrimEnd('.')}' but holds none of its weights.");
        var member = first.Spec.Build();

        try
        {
            using (TorchSharp.torch.no_grad())
            {
                foreach (var (name, tensor) in member.state_dict())
                {
                    tensor.copy_(state[name]);
                }
            }

            member.Scaler = first.Scaler;
            member.eval();
            return Devices.Place(member, device);
        }
        catch
        {
            member.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in state.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Refuses weights that are NaN or infinite: every score of such a model would be NaN.</summary>
    private static void RequireFiniteWeights(string path, IReadOnlyList<Autoencoder> models)
    {
        for (var m = 0; m < models.Count; m++)
        {
            foreach (var (name, tensor) in models[m].state_dict())
            {
                if (tensor.is_floating_point() && !tensor.isfinite().all().item<bool>())
                {
                    throw new ModelFileException(path, $"model {m} of the time-series detector has NaN or infinite values in '{name}'.");
                }
            }
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
