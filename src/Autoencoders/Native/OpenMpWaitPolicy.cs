using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Autoencoders.Native;

/// <summary>
/// Bounds how long libtorch's OpenMP threads (GNU libgomp on Linux) spin between parallel regions, by
/// setting <c>GOMP_SPINCOUNT</c> in the native environment before libtorch is loaded.
/// </summary>
/// <remarks>
/// libgomp reads <c>OMP_WAIT_POLICY</c> and <c>GOMP_SPINCOUNT</c> once, when it is loaded with libtorch,
/// and .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's copy of
/// the environment, which native code never reads. The library therefore calls libc's <c>setenv</c> from
/// its module initializer, which runs before any of its code (and so before the first tensor it creates).
/// When the user has set either variable, in the process environment or through .NET, the library sets
/// nothing of its own and copies the user's values into the native environment instead. When TorchSharp
/// was already used before the library (libgomp is mapped), it is too late: <see cref="State"/> says so.
/// Linux only: on other systems libtorch's OpenMP runtime is a different one and nothing is set.
/// </remarks>
internal static partial class OpenMpWaitPolicy
{
    /// <summary>
    /// libgomp's unit is one iteration of its spin loop (its own estimate: about 100 000 per millisecond);
    /// libgomp's default is 300 000, OMP_WAIT_POLICY=PASSIVE means 0. The library's value bounds the spin
    /// to a fraction of a millisecond: long enough to bridge the gaps between the operations of one
    /// training step, short enough that a waiting thread soon yields its core to a competing process.
    /// Chosen by the thread-policy sweep of benchmark B1 (see benchmarks/README.md).
    /// </summary>
    public const long SpinCount = 30_000;

    private const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    private const string SpinCountVariable = "GOMP_SPINCOUNT";
    private static readonly Lock Gate = new();
    private static string? _state;

    /// <summary>What was done, in words: the setting libgomp reads, and who chose it.</summary>
    public static string State
    {
        get
        {
            Apply();
            return _state!;
        }
    }

    /// <summary>Runs <see cref="Apply"/> when the library's assembly is first used.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "libgomp reads its environment once, when libtorch loads; this must run before the library's first tensor, and it touches no TorchSharp type.")]
    internal static void Initialize() => Apply();

    /// <summary>Sets <c>GOMP_SPINCOUNT</c> in the native environment unless the user chose a wait policy; idempotent.</summary>
    public static void Apply()
    {
        if (_state is not null)
        {
            return;
        }

        lock (Gate)
        {
            _state ??= Decide();
        }
    }

    private static string Decide()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not set (the OpenMP wait policy is only managed on Linux)";
        }

        try
        {
            var userValues = new[] { WaitPolicyVariable, SpinCountVariable }
                .Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)))
                .Where(v => !string.IsNullOrEmpty(v.Value))
                .ToArray();
            var loaded = LibgompIsLoaded();
            if (userValues.Length > 0)
            {
                // Values set through .NET are invisible to libgomp unless copied to the native environment.
                foreach (var (name, value) in userValues)
                {
                    _ = Libc.SetEnv(name, value!, overwrite: 0);
                }

                var chosen = string.Join(", ", userValues.Select(v => $"{v.Name}={v.Value}"));
                return loaded ? $"{chosen} (set by the user, but libtorch was loaded before the library: whatever libgomp read at that time applies)" : $"{chosen} (set by the user)";
            }

            if (loaded)
            {
                return "libgomp's default, GOMP_SPINCOUNT=300000 (libtorch was loaded before the library could set its policy)";
            }

            return Libc.SetEnv(SpinCountVariable, SpinCount.ToString(System.Globalization.CultureInfo.InvariantCulture), overwrite: 0) == 0
                ? $"{SpinCountVariable}={SpinCount} (set by the library)"
                : "libgomp's default, GOMP_SPINCOUNT=300000 (setenv failed)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            return $"libgomp's default (the policy could not be applied: {e.Message})";
        }
    }

    /// <summary>Whether an OpenMP runtime is already mapped into the process (then it has read its environment).</summary>
    private static bool LibgompIsLoaded()
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            if (line.Contains("/libgomp", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static partial class Libc
    {
        [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int SetEnv(string name, string value, int overwrite);
    }
}
