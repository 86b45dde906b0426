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
                $"TorchSharp's native runtime could not be loaded: no {ElfVersionNeedPatcher.LibTorchSharpFileName} was found next to the application "
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

        const string version = ElfVersionNeedPatcher.DefaultVersionName;
        PatchResult analysis;
        try
        {
            analysis = ElfVersionNeedPatcher.Analyze(File.ReadAllBytes(library), version);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            analysis = new PatchResult(PatchStatus.Malformed, ex.Message);
        }

        var defines = ElfVersionNeedPatcher.MachineLibStdCxxDefines(version, out var libstdcxx);
        bool versionProblem = loaderMessage.Contains(version, StringComparison.Ordinal)
            || (analysis.Status == PatchStatus.Patchable && defines == false);
        if (versionProblem)
        {
            var provider = libstdcxx is null ? "this machine's libstdc++.so.6" : libstdcxx;
            var state = analysis.Status switch
            {
                PatchStatus.Patchable => "This copy has not been patched.",
                PatchStatus.AlreadyPatched => "This copy is patched, so another library must need the version too.",
                _ => $"It cannot be patched safely ({analysis.Message}).",
            };
            return new NativeRuntimeException(
                $"TorchSharp's native library {library} could not be loaded: {loaderMessage} "
                + $"It requires {version} (the libstdc++ of GCC 13 or newer), which {provider} does not provide. {state} "
                + "Remedies: build, run or publish the application through the Autoencoders package's MSBuild targets, which mark that "
                + "requirement weak in the output copy (make sure AutoencodersNativeFix is not 'never'); set the MSBuild property "
                + "AutoencodersNativeFix=always when you build on a machine with a newer libstdc++ than the one you run on; "
                + "or run on a distribution with GCC 13+ libstdc++ (e.g. Debian 13, Ubuntu 24.04).",
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

    private static string[] LibTorchSharpCandidates(string baseDirectory)
    {
        var name = ElfVersionNeedPatcher.LibTorchSharpFileName;
        return
        [
            Path.Combine(baseDirectory, name),
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", name),
            Path.Combine(baseDirectory, "runtimes", "linux-arm64", "native", name),
        ];
    }
}
