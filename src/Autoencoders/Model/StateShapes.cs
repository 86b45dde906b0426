using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The state dict a spec's module has (every parameter and buffer: name, type, shape), found without
/// allocating it: the module is built on libtorch's meta device, where tensors have shapes but no
/// storage. It therefore covers any module the spec builds, including ones this library has never seen.
/// </summary>
/// <remarks>
/// TorchSharp's module constructors take their device from <c>torch.get_default_device()</c>, a
/// process-wide setting; it is switched to meta for the duration of the build, one build at a time,
/// and restored in every case. Module constructors must therefore only shape tensors, never read
/// their values (PyTorch's meta-device convention). A build on another thread during that moment
/// would land on meta too: builds that must not, such as a model file reader's, hold <see cref="Gate"/>.
/// </remarks>
internal static class StateShapes
{
    /// <summary>Held while the default device is meta; hold it to build a module that must get storage.</summary>
    public static Lock Gate { get; } = new();

    /// <summary>The state dict entries of the module <paramref name="spec"/> builds, in state dict order.</summary>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public static IReadOnlyList<(string Name, ScalarType DType, long[] Shape, bool IsParameter)> Of(AutoencoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (Gate)
        {
            var previous = torch.get_default_device();
            torch.set_default_device(torch.META);
            try
            {
                using var module = spec.Build();
                var parameters = module.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
                return module.state_dict()
                    .Select(kv => (kv.Key, kv.Value.dtype, kv.Value.shape, parameters.Contains(kv.Key)))
                    .ToArray();
            }
            finally
            {
                torch.set_default_device(previous);
            }
        }
    }
}
