using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// What the trainer tells the model about the step whose loss it asks for: the random generator that
/// drives every stochastic part (corruption, sampling), and where training stands (for warm-ups).
/// </summary>
/// <param name="Generator">The generator for noise, of the batches' device (a CUDA generator for batches on a CUDA device); null uses TorchSharp's global generator of that device.</param>
/// <param name="Epoch">The zero-based epoch.</param>
/// <param name="Epochs">The number of epochs of the run.</param>
public sealed record LossContext(Generator? Generator, int Epoch, int Epochs)
{
    /// <summary>A context for a single loss evaluation outside a training run (no warm-up applies).</summary>
    public static LossContext Default { get; } = new(null, int.MaxValue / 2, int.MaxValue / 2);
}
