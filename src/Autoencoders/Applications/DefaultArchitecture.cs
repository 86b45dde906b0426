using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>
/// The model and training run the façades use when none is given, chosen from the data's shape.
/// </summary>
/// <remarks>
/// Tables (one dimension of d features): a dense autoencoder d → h → k → h → d with ReLU, where
/// h = clamp(2d, 16, 256) and k = clamp(round(√d), 2, 32) but below d: a code narrow enough that the
/// identity map is out of reach. Images ([channels, height, width], both sides at least 8): a
/// convolutional autoencoder with channels [32, 64] and a 32-value code, sigmoid output when the
/// pixels are in [0, 1]. Training: Adam 1e-3, up to 60 epochs, batch 128, 10% validation, early
/// stopping after 8 epochs without improvement, best weights restored.
/// </remarks>
public static class DefaultArchitecture
{
    /// <summary>The default training run of the façades.</summary>
    public static TrainerOptions Training { get; } = new()
    {
        Epochs = 60,
        BatchSize = 128,
        LearningRate = 1e-3,
        ValidationFraction = 0.1,
        Patience = 8,
    };

    /// <summary>The default spec for samples of the given shape, optionally with a given code size.</summary>
    /// <param name="sampleShape">The shape of one sample.</param>
    /// <param name="unitInterval">Whether every value lies in [0, 1] (selects a sigmoid output for images).</param>
    /// <param name="latent">The code size; chosen from the shape when null.</param>
    public static AutoencoderSpec For(IReadOnlyList<int> sampleShape, bool unitInterval, int? latent = null)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        var features = Shapes.Product(sampleShape);
        if (sampleShape.Count == 3 && sampleShape[1] >= 8 && sampleShape[2] >= 8)
        {
            return AutoencoderSpec.Convolutional(
                sampleShape, latent ?? 32, [32, 64], output: unitInterval ? OutputActivation.Sigmoid : OutputActivation.Identity);
        }

        var code = latent ?? Math.Min(Math.Clamp((int)Math.Round(Math.Sqrt(features)), 2, 32), Math.Max(1, features - 1));
        var hidden = Math.Clamp(2 * features, 16, 256);
        return AutoencoderSpec.Dense(sampleShape, code, [hidden]);
    }
}
