using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Maps a batch of inputs, shaped [batch, ...inputShape], to a batch of feature vectors
/// [batch, <see cref="OutputSize"/>] that the bottleneck turns into a code.
/// </summary>
public abstract class Encoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with the given name.</summary>
    protected Encoder(string name)
        : base(name)
    {
    }

    /// <summary>The width of the feature vector this encoder produces.</summary>
    public abstract int OutputSize { get; }
}
