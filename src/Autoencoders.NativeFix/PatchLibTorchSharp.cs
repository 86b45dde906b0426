using Microsoft.Build.Framework;

namespace Autoencoders.NativeFix;

/// <summary>
/// MSBuild task, run by buildTransitive/Autoencoders.targets after build and publish copy the native files, that
/// weakens libLibTorchSharp.so's GLIBCXX_3.4.32 requirement in those copies when the machine needs it.
/// </summary>
/// <example>
/// <code>
/// &lt;PatchLibTorchSharp Files="$(OutDir)libLibTorchSharp.so" Mode="$(AutoencodersNativeFix)" /&gt;
/// </code>
/// </example>
public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    /// <summary>The copies of libLibTorchSharp.so to patch (never files in the NuGet cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>auto (patch only when the machine's libstdc++ lacks the version), always or never.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>The version requirement to weaken.</summary>
    public string VersionName { get; set; } = ElfVersionNeedPatcher.DefaultVersionName;

    /// <summary>The files that were patched by this invocation.</summary>
    [Output]
    public ITaskItem[] PatchedFiles { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Patches what needs it; logs a warning (AENATIVE001) for a file it refuses or cannot write.</summary>
    /// <returns>False only for an invalid <see cref="Mode"/> (error AENATIVE002).</returns>
    public override bool Execute()
    {
        var mode = (Mode ?? string.Empty).Trim().ToLowerInvariant();
        if (mode.Length == 0)
        {
            mode = "auto";
        }

        if (mode == "never")
        {
            return true;
        }

        if (mode != "auto" && mode != "always")
        {
            Log.LogError(null, "AENATIVE002", null, null, 0, 0, 0, 0,
                "AutoencodersNativeFix must be 'auto', 'always' or 'never', not '{0}'.", Mode);
            return false;
        }

        if (mode == "auto")
        {
            var defines = MachineLibStdCxx.Defines(VersionName, out var libstdcxx);
            if (defines == true)
            {
                Log.LogMessage(MessageImportance.Low,
                    "Autoencoders: {0} defines {1}; libLibTorchSharp.so needs no patch.", libstdcxx, VersionName);
                return true;
            }

            Log.LogMessage(MessageImportance.Low,
                defines == false
                    ? "Autoencoders: {0} lacks {1}; checking libLibTorchSharp.so."
                    : "Autoencoders: could not read libstdc++.so.6 ({0}); assuming it lacks {1}.",
                libstdcxx ?? "not found", VersionName);
        }

        var patched = new List<ITaskItem>();
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                continue;
            }

            PatchResult result;
            try
            {
                result = ElfVersionNeedPatcher.PatchFile(path, VersionName);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Log.LogWarning(null, "AENATIVE001", null, path, 0, 0, 0, 0,
                    "Autoencoders: could not patch {0}: {1} TorchSharp may fail to load on this machine.", path, ex.Message);
                continue;
            }

            switch (result.Status)
            {
                case PatchStatus.Patched:
                    Log.LogMessage(MessageImportance.Normal, "Autoencoders: patched {0}: {1}.", path, result.Message);
                    patched.Add(item);
                    break;
                case PatchStatus.AlreadyPatched:
                case PatchStatus.VersionNotReferenced:
                    Log.LogMessage(MessageImportance.Low, "Autoencoders: {0}: {1}.", path, result.Message);
                    break;
                default:
                    Log.LogWarning(null, "AENATIVE001", null, path, 0, 0, 0, 0,
                        "Autoencoders: did not patch {0}: {1}. TorchSharp may fail to load on this machine (set the MSBuild property AutoencodersNativeFix=never to skip this step).", path, result.Message);
                    break;
            }
        }

        PatchedFiles = patched.ToArray();
        return !Log.HasLoggedErrors;
    }
}
