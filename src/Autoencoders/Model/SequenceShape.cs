using Autoencoders.Data;

namespace Autoencoders.Model;

/// <summary>
/// The one owner of the library's convention for sequences fed to a model: one sample is shaped
/// [channels, length], one row per channel (sensor) and one column per time step, as PyTorch's Conv1d
/// reads it and as sliding windows over a [time, channels] series give them. A univariate window of
/// 32 steps is [1, 32].
/// </summary>
internal static class SequenceShape
{
    /// <summary>Throws unless <paramref name="inputShape"/> is [channels, length].</summary>
    /// <param name="inputShape">The spec's input shape.</param>
    /// <param name="backbone">The backbone as the message names it, e.g. "A recurrent backbone".</param>
    public static void Require(IReadOnlyList<int> inputShape, string backbone)
    {
        if (inputShape.Count != 2)
        {
            throw new ArgumentException(
                $"{backbone} takes sequences shaped [channels, length] (one row per channel, one column per time step); " +
                $"the input shape is {Shapes.Format(inputShape)}. A univariate window of 32 steps is [1, 32].");
        }
    }

    /// <summary>The number of channels of a [channels, length] shape.</summary>
    public static int Channels(IReadOnlyList<int> inputShape) => inputShape[0];

    /// <summary>The number of time steps of a [channels, length] shape.</summary>
    public static int Length(IReadOnlyList<int> inputShape) => inputShape[1];
}
