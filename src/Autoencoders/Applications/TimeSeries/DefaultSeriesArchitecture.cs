using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>The model and training run a <see cref="TimeSeriesAnomalyDetector"/> uses when none is given.</summary>
/// <remarks>
/// Windows of <c>channels</c> × <c>length</c> values go through a dense autoencoder d → h → k → h → d with ReLU, where
/// d = channels·length, h = clamp(d/2, 16, 256) and k = clamp(round(√d / 2), 2, 16). Training: Adam 1e-3, up to 100
/// epochs, batch 32, 10% validation, early stopping after 10 epochs without improvement, best weights restored.
/// </remarks>
public static class DefaultSeriesArchitecture
{
    /// <summary>The default training run.</summary>
    public static TrainerOptions Training { get; } = new()
    {
        Epochs = 100,
        BatchSize = 32,
        LearningRate = 1e-3,
        ValidationFraction = 0.1,
        Patience = 10,
    };

    /// <summary>The default spec for windows of <paramref name="channels"/> input channels and <paramref name="length"/>
    /// steps, shaped [channels, length].</summary>
    /// <param name="channels">The model's input channels: the sensors and the time features' channels
    /// (<see cref="InputChannels"/>).</param>
    /// <param name="length">The window length.</param>
    /// <param name="latent">The code size; chosen from the window's size when null.</param>
    /// <param name="hidden">The hidden widths, input side first; chosen from the window's size when null.</param>
    public static AutoencoderSpec For(int channels, int length, int? latent = null, IReadOnlyList<int>? hidden = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var features = checked(channels * length);
        var code = latent ?? Math.Min(Math.Clamp((int)Math.Round(Math.Sqrt(features) / 2), 2, 16), Math.Max(1, features - 1));
        return AutoencoderSpec.Dense([channels, length], code, hidden ?? [Math.Clamp(features / 2, 16, 256)]);
    }

    /// <summary>The number of input channels of a window: the sensors, then two channels per time feature.</summary>
    /// <param name="sensors">The series' channels.</param>
    /// <param name="features">The time features the model sees.</param>
    public static int InputChannels(int sensors, TimeFeatures features) => sensors + TimeFeatureChannels.Count(features);
}
