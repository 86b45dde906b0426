using Autoencoders.Model;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Support;

/// <summary>
/// The device the device-aware tests pass explicitly wherever a device is accepted: the CPU, or the device
/// named by the environment variable <see cref="Variable"/> (e.g. <c>cuda:0</c>, with the test project built
/// against a CUDA backend: see the user guide's section on devices for the command).
/// </summary>
/// <remarks>
/// Tests that pin CPU numbers (recorded runs, reference results) stay on the CPU whatever the variable says.
/// </remarks>
internal static class TestDevice
{
    /// <summary>The environment variable that names the device.</summary>
    public const string Variable = "AUTOENCODERS_TEST_DEVICE";

    static TestDevice()
    {
        Name = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } name ? name : "cpu";
        Current = Devices.Parse(Name, Variable);
    }

    /// <summary>The device's name, as the façades' <c>Device</c> options take it.</summary>
    public static string Name { get; }

    /// <summary>The device.</summary>
    public static Device Current { get; }

    /// <summary>Whether a tensor is on the test device.</summary>
    public static bool Holds(Tensor tensor) => Devices.Matches(tensor.device, Current);
}
