using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Runs a module once on a batch of two zero samples, in evaluation mode and without gradients, to learn
/// the shape of what it returns before anything else is built around it. Zeros draw nothing from the
/// random generator, so the weights built after the trial are those a run without it would get.
/// </summary>
internal static class TrialBatch
{
    public const int Size = 2;

    /// <summary>The shape of the module's output for <see cref="Size"/> zero samples shaped <paramref name="sampleShape"/>.</summary>
    /// <param name="module">The module to try; left in the mode it was in.</param>
    /// <param name="sampleShape">The shape of one input sample.</param>
    /// <param name="what">The module as the message names it, e.g. "the encoder 'ResidualMlp'".</param>
    public static long[] OutputShape(nn.Module<Tensor, Tensor> module, IReadOnlyList<int> sampleShape, string what)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var wasTraining = module.training;
        module.eval();
        try
        {
            Tensor output;
            try
            {
                output = module.forward(torch.zeros(Shapes.WithBatch(Size, sampleShape)));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new ArgumentException(
                    $"{Capitalised(what)} failed on a trial batch of {Size} samples shaped {Shapes.Format(sampleShape)}: {e.Message}", e);
            }

            if (output.dtype != ScalarType.Float32)
            {
                throw new ArgumentException($"{Capitalised(what)} returned {output.dtype} values; the model computes in float32, so build the module's layers with the default float32 type.");
            }

            return output.shape;
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
