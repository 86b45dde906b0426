using System.Globalization;

namespace Autoencoders.Native;

/// <summary>
/// The processor facts the thread policy needs, read from Linux's /proc and /sys: the physical cores this
/// process may run on, and how many other tasks are running right now. Elsewhere (or when the files
/// cannot be read) it falls back to <see cref="Environment.ProcessorCount"/> and to "no other load".
/// </summary>
internal static class CpuTopology
{
    private static readonly Lazy<int> Physical = new(CountPhysicalCores);
    private static readonly Lazy<int> Online = new(CountOnlineCpus);

    /// <summary>
    /// Physical cores this process may use: distinct (package, core) pairs among the CPUs of its affinity
    /// mask, so SMT siblings count once, and no more than <see cref="Environment.ProcessorCount"/> (which
    /// reflects a container's CPU quota). At least 1.
    /// </summary>
    public static int PhysicalCores => Physical.Value;

    /// <summary>Logical CPUs online in the whole machine (other processes compete for all of them).</summary>
    public static int OnlineCpus => Online.Value;

    /// <summary>
    /// Tasks of other processes that are running or waiting for a CPU: the kernel's count of runnable tasks
    /// (/proc/loadavg) minus this process's own runnable threads, the median of three samples in a row,
    /// so that a task caught in one instant only is not counted. 0 when unknown.
    /// </summary>
    public static int OtherRunnableTasks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            const int samples = 3;
            var counts = new int[samples];
            for (var i = 0; i < samples; i++)
            {
                // No sleeping between samples: on a loaded machine a 1 ms sleep can last ten, which a short
                // inference call would feel. Reading this process's task states spaces them by a fraction of a millisecond.
                counts[i] = Math.Max(0, SystemRunnable() - OwnRunnable());
            }

            Array.Sort(counts);
            return counts[samples / 2];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>The instantaneous number of runnable tasks in the machine: the numerator of /proc/loadavg's fourth field.</summary>
    private static int SystemRunnable()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return int.Parse(fields[3].AsSpan(0, fields[3].IndexOf('/')), CultureInfo.InvariantCulture);
    }

    /// <summary>This process's threads in state R (running or runnable), from /proc/self/task/*/stat.</summary>
    private static int OwnRunnable()
    {
        var running = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }

            // "tid (comm) S ...": the state follows the last ')', since comm may contain anything.
            var close = stat.LastIndexOf(')');
            if (close >= 0 && close + 2 < stat.Length && stat[close + 2] == 'R')
            {
                running++;
            }
        }

        return running;
    }

    private static int CountPhysicalCores()
    {
        var logical = Environment.ProcessorCount;
        if (!OperatingSystem.IsLinux())
        {
            return logical;
        }

        try
        {
            var allowed = File.ReadLines("/proc/self/status")
                .FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?
                .Split(':', 2)[1];
            var cpus = allowed is null ? Enumerable.Range(0, logical) : ParseList(allowed);
            var cores = new HashSet<(string Package, string Core)>();
            foreach (var cpu in cpus)
            {
                var topology = $"/sys/devices/system/cpu/cpu{cpu}/topology/";
                if (File.Exists(topology + "core_id"))
                {
                    cores.Add((File.ReadAllText(topology + "physical_package_id").Trim(), File.ReadAllText(topology + "core_id").Trim()));
                }
            }

            return cores.Count == 0 ? logical : Math.Clamp(cores.Count, 1, logical);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return logical;
        }
    }

    private static int CountOnlineCpus()
    {
        try
        {
            return OperatingSystem.IsLinux() ? ParseList(File.ReadAllText("/sys/devices/system/cpu/online")).Count() : Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Environment.ProcessorCount;
        }
    }

    /// <summary>Parses a kernel CPU list such as "0-3,8,10-11".</summary>
    internal static IEnumerable<int> ParseList(string list)
    {
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            var first = int.Parse(dash < 0 ? part : part[..dash], CultureInfo.InvariantCulture);
            var last = dash < 0 ? first : int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
            for (var cpu = first; cpu <= last; cpu++)
            {
                yield return cpu;
            }
        }
    }
}
