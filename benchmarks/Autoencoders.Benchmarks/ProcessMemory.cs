namespace Autoencoders.Benchmarks;

/// <summary>The process's resident memory as the kernel reports it (Linux only).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS from /proc/self/status in MB (2^20 bytes), or NaN where there is no /proc.</summary>
    public static double ResidentMegabytes() => Status("VmRSS:");

    /// <summary>VmHWM, the peak resident set since the process started, in MB, or NaN where there is no /proc.</summary>
    public static double PeakResidentMegabytes() => Status("VmHWM:");

    private static double Status(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:	  123456 kB"
                var parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>The managed heap in MB, without forcing a collection (a forced one would finalize leaked tensors and hide a leak).</summary>
    public static double ManagedMegabytes() => GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0);
}
