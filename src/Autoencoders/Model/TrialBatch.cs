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
/// A module built on libtorch's meta device (persistence builds a spec there to learn its state's shapes
/// without allocating it) cannot be run: libtorch alone has no meta kernels for many operators (relu is
/// one). Such a module is not tried; where its output shape is needed, a twin built on the CPU by the
/// same factory is tried instead.
/// </remarks>
internal static class TrialBatch
{
    public const int Size = 2;

    /// <summary>Whether the module's weights (or, without weights, new tensors) live on the meta device, where nothing runs.</summary>
    public static bool IsOnMeta(nn.Module<Tensor, Tensor> module)
    {
        var parameters = module.parameters().ToArray();
        return parameters.Length == 0
            ? torch.get_default_device().type == DeviceType.META
            : parameters.Any(p => p.device_type == DeviceType.META);
    }

    /// <summary>The shape of the module's output for <see cref="Size"/> zero samples shaped <paramref name="sampleShape"/>.</summary>
    /// <param name="module">The module to try; left in the mode it was in.</param>
    /// <param name="sampleShape">The shape of one input sample.</param>
    /// <param name="what">The module as the message names it, e.g. "the encoder 'ResidualMlp'".</param>
    /// <param name="cpuTwin">Builds the same module again, called with the CPU as the default device when <paramref name="module"/> is on the meta device.</param>
    public static long[] OutputShape(nn.Module<Tensor, Tensor> module, IReadOnlyList<int> sampleShape, string what, Func<nn.Module<Tensor, Tensor>>? cpuTwin = null)
    {
        if (!IsOnMeta(module))
        {
            return Run(module, sampleShape, what);
        }

        if (cpuTwin is null)
        {
            throw new InvalidOperationException($"{Capitalised(what)} is on the meta device, where it cannot run, and no CPU twin was given.");
        }

        var previous = torch.get_default_device();
        torch.set_default_device(torch.CPU);
        try
        {
            using var twin = cpuTwin();
            return Run(twin, sampleShape, what);
        }
        finally
        {
            torch.set_default_device(previous);
        }
    }

    /// <summary>A batch of <see cref="Size"/> zero samples on the device of the module's weights (the default device when it has none).</summary>
    public static Tensor Zeros(nn.Module<Tensor, Tensor> module, IReadOnlyList<int> sampleShape) =>
        torch.zeros(Shapes.WithBatch(Size, sampleShape), device: module.parameters().FirstOrDefault()?.device ?? torch.get_default_device());

    private static long[] Run(nn.Module<Tensor, Tensor> module, IReadOnlyList<int> sampleShape, string what)
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
                output = module.forward(Zeros(module, sampleShape));
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
