using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>The part every façade shares: choose the scaling, build the model, train it.</summary>
internal static class FittedModel
{
    public static (Autoencoder Model, TrainingHistory History) Train(
        InMemoryDataset data,
        AutoencoderSpec? spec,
        Scaling scaling,
        TrainerOptions? training,
        long seed,
        string device,
        int? latent,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        var sampleShape = data.SampleShape.Select(d => checked((int)d)).ToArray();
        var unitInterval = IsUnitInterval(data);
        spec ??= DefaultArchitecture.For(sampleShape, unitInterval, latent);
        return Train(data, spec, CreateScaler(data, scaling, spec, unitInterval, sampleShape.Length == 3), training, seed, device, progress, cancellationToken);
    }

    /// <summary>Builds the spec, attaches a scaler fitted by the caller and trains the model.</summary>
    public static (Autoencoder Model, TrainingHistory History) Train(
        InMemoryDataset data,
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
            if (options.ValidationFraction > 0 && data.Count < 10)
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

    private static Scaler? CreateScaler(InMemoryDataset data, Scaling scaling, AutoencoderSpec spec, bool unitInterval, bool image) => scaling switch
    {
        Scaling.None => null,
        Scaling.Standard => StandardScaler.Fit(data),
        Scaling.MinMax => MinMaxScaler.Fit(data),
        _ when image && unitInterval => null,
        _ when spec.Likelihood == ReconstructionLikelihood.Bernoulli || spec.Output == OutputActivation.Sigmoid => unitInterval ? null : MinMaxScaler.Fit(data),
        _ => StandardScaler.Fit(data),
    };

    private static bool IsUnitInterval(InMemoryDataset data)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return data.Features.min().item<float>() >= 0 && data.Features.max().item<float>() <= 1;
    }
}
