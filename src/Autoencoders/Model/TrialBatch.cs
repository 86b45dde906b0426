using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Runs a module once on a batch of two zero samples, in evaluation mode and without gradients, to learn
/// the shape of what it returns before anything else is built around it. Zeros draw nothing from the
/// random generator, so the weights built after the trial are those a run without it would get.
/// </summary>
/// <remarks>
/// A module on libtorch's meta device (persistence builds a spec there to learn its state's shapes
/// without allocating it) cannot be run: libtorch alone has no meta kernels for many operators (relu is
/// one). Such a module is not tried; where its output shape is needed, a twin built on the CPU by the
/// same factory is tried instead.
/// </remarks>
internal static class TrialBatch
{
    public const int Size = 2;

    /// <summary>The shape of the module's output for <see cref="Size"/> zero samples shaped <paramref name="sampleShape"/>.</summary>
    /// <param name="module">The module to try, on <paramref name="device"/>; left in the mode it was in.</param>
    /// <param name="device">The device of the module's tensors.</param>
    /// <param name="sampleShape">The shape of one input sample.</param>
    /// <param name="what">The module as the message names it, e.g. "the encoder 'ResidualMlp'".</param>
    /// <param name="cpuTwin">Builds the same module on the CPU, for a module on the meta device.</param>
    public static long[] OutputShape(
        nn.Module<Tensor, Tensor> module, Device device, IReadOnlyList<int> sampleShape, string what, Func<nn.Module<Tensor, Tensor>>? cpuTwin = null)
    {
        if (device.type != DeviceType.META)
        {
            return Run(module, device, sampleShape, what);
        }

        if (cpuTwin is null)
        {
            throw new InvalidOperationException($"{Capitalised(what)} is on the meta device, where it cannot run, and no CPU twin was given.");
        }

        using var twin = Devices.Place(cpuTwin(), CPU);
        return Run(twin, CPU, sampleShape, what);
    }

    /// <summary>A batch of <see cref="Size"/> zero samples on <paramref name="device"/>.</summary>
    public static Tensor Zeros(IReadOnlyList<int> sampleShape, Device device) =>
        torch.zeros(Shapes.WithBatch(Size, sampleShape), device: device);

    private static long[] Run(nn.Module<Tensor, Tensor> module, Device device, IReadOnlyList<int> sampleShape, string what)
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
                output = module.forward(Zeros(sampleShape, device));
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
