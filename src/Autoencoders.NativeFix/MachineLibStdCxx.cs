using System.Reflection;
using System.Runtime.InteropServices;

namespace Autoencoders.NativeFix;

/// <summary>Finds this machine's libstdc++.so.6 and reads which symbol versions it defines.</summary>
internal static class MachineLibStdCxx
{
    /// <summary>The folders searched for libstdc++.so.6, most specific first.</summary>
    public static IReadOnlyList<string> SearchFolders()
    {
        var folders = new List<string>
        {
            "/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu",
            "/usr/lib64",
            "/lib64",
            "/usr/lib",
            "/usr/lib/aarch64-linux-gnu",
        };
        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            folders.Remove("/usr/lib/aarch64-linux-gnu");
            folders.Insert(0, "/usr/lib/aarch64-linux-gnu");
        }

        return folders;
    }

    /// <summary>The machine's libstdc++.so.6 with symbolic links resolved, or null when none is found.</summary>
    public static string? Find()
    {
        foreach (var folder in SearchFolders())
        {
            var candidate = Path.Combine(folder, "libstdc++.so.6");
            if (File.Exists(candidate))
            {
                return ResolveLinks(candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the machine's libstdc++ defines <paramref name="version"/>: true or false, or null when no
    /// libstdc++.so.6 was found or it could not be read; <paramref name="libraryPath"/> names the file.
    /// </summary>
    public static bool? Defines(string version, out string? libraryPath)
    {
        libraryPath = Find();
        if (libraryPath is null)
        {
            return null;
        }

        try
        {
            return ElfVersionDefinitions.Contains(File.ReadAllBytes(libraryPath), version);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
        {
            return null;
        }
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            // FileSystemInfo.ResolveLinkTarget is .NET 6+, absent from netstandard2.0 but present in the .NET that the
            // SDK's MSBuild runs on (the targets call this task on Linux only, so never from .NET Framework).
            var method = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });
            var target = method?.Invoke(new FileInfo(path), new object[] { true }) as FileSystemInfo;
            return target?.FullName ?? path;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is TargetInvocationException)
        {
            return path;
        }
    }
}
