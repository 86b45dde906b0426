using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The state dict a spec's module has (every parameter and buffer: name, type, shape), found without
/// allocating it: the module is built on libtorch's meta device, where tensors have shapes but no
/// storage. It therefore covers any module the spec builds, including ones this library has never seen.
/// </summary>
/// <remarks>
/// The meta device is passed to every module's constructor (registered modules get it in
/// <see cref="ModuleContext.Device"/>), never set as TorchSharp's process-wide default device, so builds
/// on other threads are not affected. Module constructors must therefore only shape tensors, never read
/// their values (PyTorch's meta-device convention); a registered module built elsewhere is moved to meta,
/// after being allocated once.
/// </remarks>
internal static class StateShapes
{
    /// <summary>The state dict entries of the module <paramref name="spec"/> builds, in state dict order.</summary>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public static IReadOnlyList<(string Name, ScalarType DType, long[] Shape, bool IsParameter)> Of(AutoencoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var module = spec.Build(device: META);
        var parameters = module.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        return module.state_dict()
            .Select(kv => (kv.Key, kv.Value.dtype, kv.Value.shape, parameters.Contains(kv.Key)))
            .ToArray();
    }
}
