using System.Diagnostics;

namespace Autoencoders.Tests.Reliability;

/// <summary>This test assembly started as a separate process in one of the <see cref="FaultChild"/> modes.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;

    public ChildProcess(params string[] args)
        : this(new Dictionary<string, string?>(), args)
    {
    }

    /// <summary>Starts the child with <paramref name="environment"/> added to (or, for a null value, removed from) this process's environment.</summary>
    public ChildProcess(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        // Standard input stays open, unwritten, for the child's life: it ends when this process does,
        // however it ends, and the child then exits (FaultChild.ExitWithParent) instead of looping on as an orphan.
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment[FaultChild.ParentPipeVariable] = "1";

        foreach (var arg in (string[])["exec", typeof(FaultChild).Assembly.Location, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        process.ErrorDataReceived += (_, e) => Errors.Add(e.Data);
        process.BeginErrorReadLine();
    }

    public List<string?> Errors { get; } = [];

    /// <summary>Reads lines until one satisfies <paramref name="until"/>; false if the child ends or times out first.</summary>
    public bool WaitForLine(Func<string, bool> until, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(timeout - deadline.Elapsed) || read.Result is null)
            {
                return false;
            }

            if (until(read.Result))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Closes the child's standard input, as this process's end would.</summary>
    public void CloseInput() => process.StandardInput.Close();

    /// <summary>SIGKILL: no finally blocks, no flushing, no cleanup.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Whether the child ends, whatever its exit code, within <paramref name="timeout"/>.</summary>
    public bool HasExited(TimeSpan timeout) => process.WaitForExit(timeout);

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            return false;
        }

        process.WaitForExit(); // lets the asynchronous reader of standard error finish
        return process.ExitCode == 0;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }
}
