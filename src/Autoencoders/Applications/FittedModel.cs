using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>The part every façade shares: choose the scaling, build the model, train it.</summary>
internal static class FittedModel
{
    public static (Autoencoder Model, TrainingHistory History) Train(
        DataSource data,
        AutoencoderSpec? spec,
        Scaling scaling,
        TrainerOptions? training,
        long seed,
        string device,
        int? latent,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        // One pass over a stream gives the count (for the split), the range and the scaler's statistics.
        var statistics = data.ComputeStatistics(cancellationToken);
        var sampleShape = data.SampleShape.Select(d => checked((int)d)).ToArray();
        var unitInterval = statistics.IsUnitInterval;
        spec ??= DefaultArchitecture.For(sampleShape, unitInterval, latent);
        var scaler = CreateScaler(statistics, scaling, spec, unitInterval, sampleShape.Length == 3);
        return Train(data, statistics.Count, spec, scaler, training, seed, device, progress, cancellationToken);
    }

    /// <summary>Builds the spec, attaches a scaler fitted by the caller and trains the model on samples held in memory.</summary>
    public static (Autoencoder Model, TrainingHistory History) Train(
        InMemoryDataset data,
        AutoencoderSpec spec,
        Scaler? scaler,
        TrainerOptions? training,
        long seed,
        string device,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken) =>
        Train(data, data.Count, spec, scaler, training, seed, device, progress, cancellationToken);

    private static (Autoencoder Model, TrainingHistory History) Train(
        DataSource data,
        long count,
        AutoencoderSpec spec,
        Scaler? scaler,
        TrainerOptions? training,
        long seed,
        string device,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        var model = spec.Build(seed, Devices.Parse(device, nameof(device)));
        try
        {
            model.Scaler = scaler;
            var options = (training ?? DefaultArchitecture.Training) with { Seed = seed };
            if (options.ValidationFraction > 0 && count < 10)
            {
                options = options with { ValidationFraction = 0, Patience = null };
            }

            var history = new Trainer(options).Fit(model, data, progress: progress, cancellationToken: cancellationToken);
            return (model, history);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Scaler? CreateScaler(DataStatistics statistics, Scaling scaling, AutoencoderSpec spec, bool unitInterval, bool image) => scaling switch
    {
        Scaling.None => null,
        Scaling.Standard => StandardScaler.Fit(statistics),
        Scaling.MinMax => MinMaxScaler.Fit(statistics),
        _ when image && unitInterval => null,
        _ when spec.Likelihood == ReconstructionLikelihood.Bernoulli || spec.Output == OutputActivation.Sigmoid => unitInterval ? null : MinMaxScaler.Fit(statistics),
        _ => StandardScaler.Fit(statistics),
    };
}
