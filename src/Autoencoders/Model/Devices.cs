using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The devices a model may live on, how they are named and how a request for one is checked: the one
/// owner of these rules, so that <see cref="AutoencoderSpec.Build"/>, <see cref="Autoencoder.To"/>, loading
/// and the façades' <c>Device</c> options accept the same devices and fail with the same messages.
/// </summary>
/// <remarks>
/// A model computes on the CPU or on one CUDA device; the meta device (shapes without storage) holds
/// structure-only models. Other TorchSharp device types (MPS, ...) are refused: nothing here has run on them.
/// </remarks>
internal static class Devices
{
    /// <summary>The packages that bring a CUDA build of libtorch, as the messages name them.</summary>
    public const string CudaPackages = "TorchSharp-cuda-linux (Linux) or TorchSharp-cuda-windows (Windows)";

    private const string Accepted = "\"cpu\", \"cuda\" (the current CUDA device) or \"cuda:N\" (N = 0, 1, ...)";

    /// <summary>
    /// The device a name stands for: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, in any case. Only the name is
    /// read here; <see cref="Check"/> tells whether the device exists.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of those.</exception>
    public static Device Parse(string? name, string parameterName)
    {
        var text = name?.Trim().ToLowerInvariant();
        if (text == "cpu")
        {
            return CPU;
        }

        if (text == "cuda")
        {
            return new Device(DeviceType.CUDA);
        }

        if (text is not null && text.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new Device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"'{name}' is not a device this library runs on: use {Accepted}.", parameterName);
    }

    /// <summary>
    /// Checks that <paramref name="device"/> (the CPU when null) can hold a model in this process and returns it:
    /// a CUDA device needs a CUDA build of libtorch, a working driver and that many devices.
    /// </summary>
    /// <param name="device">The requested device.</param>
    /// <param name="allowMeta">Whether the meta device is acceptable (structure-only builds).</param>
    /// <param name="parameterName">The parameter the device came from, for the message.</param>
    /// <exception cref="ArgumentException">The device is of a type this library does not run on, or is meta where data is needed.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested but this process has no usable CUDA backend or no such CUDA device.</exception>
    public static Device Check(Device? device, bool allowMeta, string parameterName)
    {
        device ??= CPU;
        switch (device.type)
        {
            case DeviceType.CPU:
                return CPU;
            case DeviceType.META when allowMeta:
                return META;
            case DeviceType.META:
                throw new ArgumentException(
                    "The meta device holds shapes but no values, so it cannot hold this model's weights. " +
                    "It serves structure-only builds (spec.Build(device: torch.META)); use the CPU or a CUDA device here.",
                    parameterName);
            case DeviceType.CUDA:
                RequireCuda(device);
                return device;
            default:
                throw new ArgumentException(
                    $"The device '{device}' is not supported: models run on the CPU or on a CUDA device ({Accepted}).", parameterName);
        }
    }

    /// <summary>
    /// <paramref name="module"/> with every parameter and buffer on <paramref name="device"/>: as it is when
    /// they are there already, moved there (in place) otherwise.
    /// </summary>
    public static T Place<T>(T module, Device device)
        where T : nn.Module
    {
        var tensors = module.parameters().Concat(module.buffers()).ToArray();
        if (tensors.All(t => Matches(t.device, device)))
        {
            return module;
        }

        // TorchSharp skips a move to the device it believes a module is on (the CPU, for a module it
        // never moved, wherever its tensors were created); the overload with a type always moves.
        var dtype = tensors.FirstOrDefault(t => t.is_floating_point())?.dtype ?? ScalarType.Float32;
        return module.to(device, dtype);
    }

    /// <summary>Whether a tensor on <paramref name="actual"/> is where <paramref name="requested"/> asks (any CUDA device matches "cuda").</summary>
    public static bool Matches(Device actual, Device requested) =>
        actual.type == requested.type && (requested.index < 0 || actual.type != DeviceType.CUDA || actual.index == requested.index);

    private static void RequireCuda(Device device)
    {
        bool available;
        try
        {
            available = cuda.is_available();
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw NoCuda(device, e);
        }

        if (!available)
        {
            throw NoCuda(device, null);
        }

        var count = cuda.device_count();
        if (device.index >= count)
        {
            throw new InvalidOperationException(
                $"The device '{device}' does not exist: this machine has {count} CUDA device{(count == 1 ? string.Empty : "s")} (cuda:0{(count > 1 ? $" to cuda:{count - 1}" : string.Empty)}).");
        }
    }

    private static InvalidOperationException NoCuda(Device device, Exception? inner) => new(
        $"The device '{device}' was requested, but this process has no usable CUDA backend (torch.cuda.is_available() is false). " +
        $"A CUDA device needs a CUDA build of libtorch: reference {CudaPackages} in the application's project instead of TorchSharp-cpu, " +
        "with the same version as TorchSharp, and run on a machine with an NVIDIA GPU and a driver that supports that CUDA version. " +
        "Use the device \"cpu\" otherwise.",
        inner);
}
