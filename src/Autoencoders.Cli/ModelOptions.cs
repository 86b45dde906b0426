using System.CommandLine;
using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Cli;

/// <summary>The options that choose an architecture and a training run, shared by <c>train</c> and <c>detect</c>.</summary>
internal sealed class ModelOptions
{
    public Option<string> Preset { get; } = new("--preset", "-p")
    {
        Description = "The architecture: auto (chosen from the data's shape), dense, sparse, denoising, vae, conv (images only), contractive, linear.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int?> Latent { get; } = new("--latent", "-l")
    {
        Description = "The code size (default: about √features, between 2 and 32; 32 for conv).",
    };

    public Option<string?> Hidden { get; } = new("--hidden")
    {
        Description = "Encoder hidden widths, input side first, comma-separated, e.g. 256,64 (default: one layer of 2×features, 16 to 256).",
    };

    public Option<string> Channels { get; } = new("--channels")
    {
        Description = "Convolution channels for the conv preset, comma-separated.",
        DefaultValueFactory = _ => "32,64",
    };

    public Option<int> Epochs { get; } = new("--epochs", "-e")
    {
        Description = "The most epochs to train (early stopping may end sooner).",
        DefaultValueFactory = _ => 30,
    };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = "Samples per training step.",
        DefaultValueFactory = _ => 128,
    };

    public Option<double> LearningRate { get; } = new("--learning-rate")
    {
        Description = "Adam's learning rate.",
        DefaultValueFactory = _ => 1e-3,
    };

    public Option<double> Validation { get; } = new("--validation")
    {
        Description = "The fraction of samples held out to watch for overfitting (0 for none).",
        DefaultValueFactory = _ => 0.1,
    };

    public Option<int> Patience { get; } = new("--patience")
    {
        Description = "Stop after this many epochs without a better validation loss, and keep the best weights (0: never stop early).",
        DefaultValueFactory = _ => 8,
    };

    public Option<string> Scaling { get; } = new("--scaling")
    {
        Description = "How features are scaled before training (saved with the model): auto, standard, minmax, none.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<long> Seed { get; } = new("--seed")
    {
        Description = "The seed of initialisation, shuffling and noise: the same seed gives the same model.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "libtorch threads while training (default: the physical cores, fewer when other processes keep some busy).",
    };

    public Option<string> Streaming { get; } = new("--streaming")
    {
        Description = "on: stream the data file from disk in chunks (memory stays bounded, whatever the file's size); off: load it into memory (fastest); auto: stream files above 1 GiB.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "No progress lines.",
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Preset, Latent, Hidden, Channels, Epochs, BatchSize, LearningRate, Validation, Patience, Scaling, Seed, Threads, Streaming, Quiet })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The spec the options describe for <paramref name="data"/>, or null for the façade's default (preset auto).</summary>
    public AutoencoderSpec? BuildSpec(ParseResult result, InputData data)
    {
        var preset = result.GetValue(Preset)!.ToLowerInvariant();
        var features = data.FeatureCount;
        var latent = result.GetValue(Latent);
        if (latent is < 1)
        {
            throw new UsageException($"--latent must be at least 1, not {latent}.");
        }

        if (preset == "auto")
        {
            return result.GetValue(Hidden) is null && latent is null ? null : DefaultArchitectureWith(result, data, latent);
        }

        var code = latent ?? Math.Min(Math.Clamp((int)Math.Round(Math.Sqrt(features)), 2, 32), Math.Max(1, features - 1));
        var hidden = ParseList(result.GetValue(Hidden), "--hidden") ?? [Math.Clamp(2 * features, 16, 256)];
        var images = data.SampleShape.Length == 3;
        var output = images && data.IsUnitInterval ? OutputActivation.Sigmoid : OutputActivation.Identity;
        try
        {
            return preset switch
            {
                "dense" => AutoencoderSpec.Dense(data.SampleShape, code, hidden, output: output),
                "sparse" => AutoencoderSpec.Sparse(features, code, hidden),
                "denoising" => AutoencoderSpec.Denoising(features, code, hidden),
                "vae" => AutoencoderSpec.Variational(data.SampleShape, code, hidden),
                "conv" when !images => throw new UsageException($"The conv preset needs images ([channels, height, width]); '{data.Path}' holds rows of {features} values. Use dense, or an IDX file of images."),
                "conv" => AutoencoderSpec.Convolutional(data.SampleShape, latent ?? 32, ParseList(result.GetValue(Channels), "--channels")!, output: output),
                "contractive" => AutoencoderSpec.Contractive(features, code),
                "linear" => AutoencoderSpec.Linear(features, code),
                _ => throw new UsageException($"Unknown preset '{preset}'. Use one of: auto, dense, sparse, denoising, vae, conv, contractive, linear."),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"The {preset} preset does not fit this data: {e.Message}", e);
        }
    }

    /// <summary>The trainer options the command line asks for.</summary>
    public TrainerOptions BuildTraining(ParseResult result)
    {
        var epochs = result.GetValue(Epochs);
        var batch = result.GetValue(BatchSize);
        var rate = result.GetValue(LearningRate);
        var validation = result.GetValue(Validation);
        var patience = result.GetValue(Patience);
        if (epochs < 1 || batch < 1 || rate <= 0 || validation is < 0 or >= 1 || patience < 0)
        {
            throw new UsageException("--epochs and --batch-size must be at least 1, --learning-rate above 0, --validation in [0, 1) and --patience at least 0.");
        }

        var threads = result.GetValue(Threads);
        if (threads is < 1)
        {
            throw new UsageException($"--threads must be at least 1, not {threads}.");
        }

        return DefaultArchitecture.Training with
        {
            Epochs = epochs,
            BatchSize = batch,
            LearningRate = rate,
            ValidationFraction = validation,
            Patience = validation > 0 && patience > 0 ? patience : null,
            Threads = threads,
        };
    }

    /// <summary>The scaling the command line asks for.</summary>
    public Scaling BuildScaling(ParseResult result) => result.GetValue(Scaling)!.ToLowerInvariant() switch
    {
        "auto" => Applications.Scaling.Auto,
        "standard" => Applications.Scaling.Standard,
        "minmax" => Applications.Scaling.MinMax,
        "none" => Applications.Scaling.None,
        var other => throw new UsageException($"Unknown scaling '{other}'. Use auto, standard, minmax or none."),
    };

    /// <summary>Whether to stream the data file, as --streaming says.</summary>
    public StreamingMode BuildStreaming(ParseResult result) => result.GetValue(Streaming)!.ToLowerInvariant() switch
    {
        "auto" => StreamingMode.Auto,
        "on" => StreamingMode.Always,
        "off" => StreamingMode.Never,
        var other => throw new UsageException($"Unknown streaming choice '{other}'. Use auto, on or off."),
    };

    /// <summary>The progress reporter for the error stream.</summary>
    public ProgressLog BuildProgress(ParseResult result, TextWriter log) => new(log, result.GetValue(Quiet));

    private AutoencoderSpec DefaultArchitectureWith(ParseResult result, InputData data, int? latent)
    {
        var spec = DefaultArchitecture.For(data.SampleShape, data.IsUnitInterval, latent);
        if (ParseList(result.GetValue(Hidden), "--hidden") is { } hidden && spec.Backbone is DenseBackboneSpec dense)
        {
            spec = spec with { Backbone = dense with { Hidden = hidden } };
            spec.Validate();
        }

        return spec;
    }

    internal static int[]? ParseList(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                throw new UsageException($"{option} takes positive whole numbers separated by commas, e.g. 256,64; '{parts[i]}' is not one.");
            }
        }

        return values;
    }
}
