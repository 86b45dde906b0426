using System.Runtime.InteropServices;

namespace Autoencoders.Tests.Native;

/// <summary>Paths and a minimal, independent ELF section-header reader for the native tests.</summary>
internal static class NativeTestFiles
{
    public const string TorchSharpVersion = "0.107.0";

    /// <summary>libLibTorchSharp.so in the NuGet cache. Read it; never write it.</summary>
    public static string CachedLibTorchSharp
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            }

            return Path.Combine(root, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    public static byte[] ReadCachedLibTorchSharp() => File.ReadAllBytes(CachedLibTorchSharp);

    public static bool IsDebian12()
    {
        if (!File.Exists("/etc/os-release"))
        {
            return false;
        }

        var lines = File.ReadAllLines("/etc/os-release");
        return lines.Contains("ID=debian") && lines.Contains("VERSION_ID=\"12\"");
    }

    public sealed record Section(int Index, uint Type, long Offset, long Size, uint Link, uint Info);

    public static IReadOnlyList<Section> Sections(byte[] elf)
    {
        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int entsize = BitConverter.ToUInt16(elf, 0x3A);
        int count = BitConverter.ToUInt16(elf, 0x3C);
        var list = new List<Section>();
        for (int i = 0; i < count; i++)
        {
            long at = shoff + (i * entsize);
            list.Add(new Section(
                i,
                BitConverter.ToUInt32(elf, (int)at + 4),
                (long)BitConverter.ToUInt64(elf, (int)at + 24),
                (long)BitConverter.ToUInt64(elf, (int)at + 32),
                BitConverter.ToUInt32(elf, (int)at + 40),
                BitConverter.ToUInt32(elf, (int)at + 44)));
        }

        return list;
    }

    public static Section SectionOfType(byte[] elf, uint type) => Sections(elf).First(s => s.Type == type);

    public static string CString(byte[] elf, long offset)
    {
        int end = Array.IndexOf(elf, (byte)0, (int)offset);
        return System.Text.Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "link")]
    private static extern int LinkNative(string existing, string newPath);

    public static void CreateHardLink(string existing, string newPath)
    {
        if (LinkNative(existing, newPath) != 0)
        {
            throw new IOException($"link({existing}, {newPath}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}

/// <summary>A fact that runs on Linux only.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only";
        }
    }
}

/// <summary>A fact about Debian 12's system libraries.</summary>
public sealed class Debian12FactAttribute : FactAttribute
{
    public Debian12FactAttribute()
    {
        if (!NativeTestFiles.IsDebian12())
        {
            Skip = "Debian 12 only";
        }
    }
}
