using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>What a penalty may look at when one batch's loss is computed.</summary>
/// <param name="Model">The model (for penalties on its weights).</param>
/// <param name="Input">The encoder's input (corrupted, when the model corrupts its input).</param>
/// <param name="Features">The encoder's output.</param>
/// <param name="Code">The code that is decoded.</param>
internal sealed record PenaltyContext(Autoencoder Model, Tensor Input, Tensor Features, Tensor Code);

/// <summary>A loss term computed from the model and one batch's intermediate tensors.</summary>
internal abstract class Penalty
{
    /// <summary>Whether the input must carry gradients (penalties on the encoder's Jacobian).</summary>
    public virtual bool NeedsInputGradient => false;

    /// <summary>The weighted scalar term.</summary>
    public abstract Tensor Compute(PenaltyContext context);
}
