using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Maps a batch of codes [batch, latent] to the decoder's raw output, shaped like the input
/// [batch, ...inputShape], before the output activation.
/// </summary>
public abstract class Decoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with the given name.</summary>
    protected Decoder(string name)
        : base(name)
    {
    }
}
