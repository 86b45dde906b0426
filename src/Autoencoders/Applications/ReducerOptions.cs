using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>Configures <see cref="AutoencoderReducer.Fit(float[,], ReducerOptions?, IProgress{EpochReport}?, CancellationToken)"/>.</summary>
public sealed record ReducerOptions
{
    /// <summary>The number of dimensions to reduce to (the code size) when no <see cref="Spec"/> is given.</summary>
    public int Components { get; init; } = 2;

    /// <summary>The model to train; null for <see cref="DefaultArchitecture"/> with <see cref="Components"/> code values.</summary>
    public AutoencoderSpec? Spec { get; init; }

    /// <summary>How the data is scaled before training (the scaler is saved with the reducer).</summary>
    public Scaling Scaling { get; init; } = Scaling.Auto;

    /// <summary>The training run; <see cref="DefaultArchitecture.Training"/> when null.</summary>
    public TrainerOptions? Training { get; init; }

    /// <summary>Seeds the weights, shuffling and noise.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// Where the model trains and computes: <c>"cpu"</c> (the default), <c>"cuda"</c> or <c>"cuda:N"</c>,
    /// which need a CUDA backend package (TorchSharp-cuda-linux or TorchSharp-cuda-windows) in the
    /// application. Scores and arrays come back the same way from any device.
    /// </summary>
    public string Device { get; init; } = "cpu";
}
