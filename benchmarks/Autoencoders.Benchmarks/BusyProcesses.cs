using System.Diagnostics;

namespace Autoencoders.Benchmarks;

/// <summary>
/// Competing load for the "busy machine" measurements: one process per logical CPU that keeps its core
/// busy with integer arithmetic until it is stopped (or until this program exits: each one also ends when
/// its standard input closes).
/// </summary>
internal sealed class BusyProcesses : IDisposable
{
    /// <summary>The hidden command that turns this program into one busy process.</summary>
    public const string Command = "busy";

    private readonly List<Process> processes = [];

    private BusyProcesses()
    {
    }

    /// <summary>The number of busy processes: one per logical CPU online.</summary>
    public static int Count => Environment.ProcessorCount;

    /// <summary>Starts <see cref="Count"/> busy processes and returns once each is spinning, plus a settling second.</summary>
    public static BusyProcesses Start()
    {
        var busy = new BusyProcesses();
        try
        {
            for (var i = 0; i < Count; i++)
            {
                var process = Process.Start(SelfProcess.StartInfo(Command)) ?? throw new InvalidOperationException("A busy process did not start.");
                busy.processes.Add(process);
                if (process.StandardOutput.ReadLine() != "spinning")
                {
                    throw new InvalidOperationException("A busy process did not start spinning.");
                }
            }

            Thread.Sleep(1000);
            return busy;
        }
        catch
        {
            busy.Dispose();
            throw;
        }
    }

    /// <summary>The body of one busy process: spins until its standard input reaches end of file.</summary>
    public static int Run()
    {
        var stop = 0;
        var watcher = new Thread(() =>
        {
            Console.In.ReadToEnd();
            Volatile.Write(ref stop, 1);
        })
        { IsBackground = true };
        watcher.Start();
        Console.Out.WriteLine("spinning");
        Console.Out.Flush();
        var x = 1UL;
        while (Volatile.Read(ref stop) == 0)
        {
            for (var i = 0; i < 1 << 20; i++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            }
        }

        return x == 0 ? 1 : 0;
    }

    public void Dispose()
    {
        foreach (var process in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }

        processes.Clear();
    }
}
