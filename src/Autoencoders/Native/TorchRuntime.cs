using System.Runtime.InteropServices;
using TorchSharp;

namespace Autoencoders.Native;

/// <summary>
/// Makes sure TorchSharp's native runtime is usable before the library touches a tensor, and turns a load
/// failure into one <see cref="NativeRuntimeException"/> that names the real cause and the remedy (TorchSharp's
/// own message blames a missing backend package even when the loader refused the library for another reason).
/// </summary>
internal static class TorchRuntime
{
    /// <summary>TorchSharp's native glue library on Linux.</summary>
    internal const string LibTorchSharpFileName = "libLibTorchSharp.so";

    /// <summary>The one version requirement the build-time fix (src/Autoencoders.NativeFix) marks weak.</summary>
    internal const string WeakenedVersion = "GLIBCXX_3.4.32";

    private static readonly Lock Gate = new();
    private static volatile bool _available;
    private static NativeRuntimeException? _failure;

    /// <summary>
    /// Initialises TorchSharp's CPU backend once (thread-safe). Throws <see cref="NativeRuntimeException"/> on
    /// this and every later call when it cannot be loaded.
    /// </summary>
    /// <exception cref="NativeRuntimeException">TorchSharp's native runtime cannot be loaded.</exception>
    public static void EnsureAvailable()
    {
        if (_available)
        {
            return;
        }

        lock (Gate)
        {
            if (_available)
            {
                return;
            }

            if (_failure is null)
            {
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                    OneDnn.DisableUnlessRequested();
                    _available = true;
                    return;
                }
                catch (Exception ex) when (IsLoadFailure(ex))
                {
                    _failure = Diagnose(ex, AppContext.BaseDirectory);
                }
            }

            // A fresh exception per call, so that each caller gets its own stack trace.
            throw new NativeRuntimeException(_failure.Message, _failure.InnerException)
            {
                LibraryPath = _failure.LibraryPath,
                LoaderMessage = _failure.LoaderMessage,
            };
        }
    }

    internal static bool IsLoadFailure(Exception ex) =>
        ex is TypeInitializationException or NotSupportedException or DllNotFoundException
            or EntryPointNotFoundException or BadImageFormatException or MarshalDirectiveException;

    /// <summary>Works out why TorchSharp failed, looking for its native glue library under <paramref name="baseDirectory"/>.</summary>
    internal static NativeRuntimeException Diagnose(Exception original, string baseDirectory)
    {
        const string backendRemedy =
            "The application (not only the library) must reference a TorchSharp backend package of the same version as TorchSharp: "
            + "TorchSharp-cpu, or a CUDA package such as TorchSharp-cuda-linux / TorchSharp-cuda-windows.";

        if (!OperatingSystem.IsLinux())
        {
            return new NativeRuntimeException(
                $"TorchSharp's native runtime could not be loaded: {original.Message} {backendRemedy}", original);
        }

        var candidates = LibTorchSharpCandidates(baseDirectory);
        var library = candidates.FirstOrDefault(File.Exists);
        if (library is null)
        {
            return new NativeRuntimeException(
                $"TorchSharp's native runtime could not be loaded: no {LibTorchSharpFileName} was found next to the application "
                + $"(looked for {string.Join(", ", candidates)}). {backendRemedy}",
                original);
        }

        string? loaderMessage = null;
        try
        {
            var handle = NativeLibrary.Load(library);
            NativeLibrary.Free(handle);
        }
        catch (DllNotFoundException ex)
        {
            loaderMessage = ex.Message;
        }
        catch (BadImageFormatException ex)
        {
            loaderMessage = ex.Message;
        }

        if (loaderMessage is null)
        {
            return new NativeRuntimeException(
                $"{library} loads, but TorchSharp failed to initialise: {original.Message} "
                + "Check that TorchSharp and its backend package (TorchSharp-cpu or a CUDA package) have the same version "
                + "and that all of the backend's native files were copied next to the application.",
                original)
            { LibraryPath = library };
        }

        var missing = MissingSymbolVersion.Find(loaderMessage);
        if (missing is not null)
        {
            return new NativeRuntimeException(
                $"TorchSharp's native library {library} could not be loaded: {loaderMessage} {MissingVersionAdvice(missing)}",
                original)
            { LibraryPath = library, LoaderMessage = loaderMessage };
        }

        return new NativeRuntimeException(
            $"TorchSharp's native library {library} could not be loaded: {loaderMessage} "
            + "Check that all native files of the TorchSharp backend package (TorchSharp-cpu or a CUDA package) were copied next to it "
            + "and that the backend's version matches TorchSharp's.",
            original)
        { LibraryPath = library, LoaderMessage = loaderMessage };
    }

    /// <summary>What to do about <paramref name="missing"/>: the build-time fix where it applies, a newer distribution otherwise.</summary>
    internal static string MissingVersionAdvice(MissingSymbolVersion missing)
    {
        bool requiredByTheShim = string.Equals(Path.GetFileName(missing.RequiredBy), LibTorchSharpFileName, StringComparison.Ordinal);
        if (requiredByTheShim && missing.Version == WeakenedVersion)
        {
            return $"It requires {WeakenedVersion} (the libstdc++ of GCC 13 or newer), which {missing.Provider} does not provide. "
                + "This copy has not been patched (the build step did not run, or it refused with warning AENATIVE001). "
                + "Remedies: build, run or publish the application through the Autoencoders package's MSBuild targets, which mark that "
                + "requirement weak in the output copy (make sure AutoencodersNativeFix is not 'never'); set the MSBuild property "
                + "AutoencodersNativeFix=always when you build on a machine with a newer libstdc++ than the one you run on; "
                + "or run on a distribution with GCC 13+ libstdc++ (e.g. Debian 13, Ubuntu 24.04).";
        }

        return $"{missing.RequiredBy} requires {missing.Version}, which {missing.Provider} does not provide. "
            + $"The Autoencoders build step relaxes only {LibTorchSharpFileName}'s need for {WeakenedVersion} (a marker symbol nothing calls); "
            + $"run on a distribution whose system libraries provide {missing.Version}.";
    }

    private static string[] LibTorchSharpCandidates(string baseDirectory) =>
    [
        Path.Combine(baseDirectory, LibTorchSharpFileName),
        Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", LibTorchSharpFileName),
        Path.Combine(baseDirectory, "runtimes", "linux-arm64", "native", LibTorchSharpFileName),
    ];
}
