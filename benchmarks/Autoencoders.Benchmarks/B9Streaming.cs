using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Training;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B9: BENCH-MLP trained for one epoch from a raw IDX file of at least 4 GB (1.4 million augmented
/// Fashion-MNIST images, float32), streamed. Reports the peak resident memory of that run (a fresh child
/// process, VmHWM) and, side by side and interleaved in this process, the training throughput from the
/// stream against the same rows held in memory.
/// </summary>
internal static class B9Streaming
{
    /// <summary>The hidden command the parent runs in a child process: one streamed epoch, a JSON line out.</summary>
    public const string ChildCommand = "b9-epoch";

    private const int BatchSize = 128;
    private const long FreeSpaceToKeep = 15L << 30;

    public static BenchmarkReport Run(BenchmarkOptions options)
    {
        var (rows, sideRows, repeats) = options.Quick ? (60_000L, 10_000, 2) : (1_400_000L, 100_000, 3);
        var machine = MachineInfo.Collect();
        var loadBefore = MachineInfo.LoadAverage();
        var started = DateTimeOffset.Now;
        var commit = RepositoryInfo.Commit(RepositoryInfo.FindRoot());
        var dataFolder = BenchmarkData.ResolveFolder(options);
        var scratch = Path.Combine(Path.GetTempPath(), "autoencoders-b9");
        var bigFile = Path.Combine(scratch, $"b9-{rows}x784-float32.idx");
        var sideFile = Path.Combine(scratch, $"b9-{sideRows}x784-float32.idx");
        Console.WriteLine($"B9 {(options.Quick ? "(quick) " : string.Empty)}{rows:N0} rows streamed, {sideRows:N0} side by side, {repeats} repetitions, threads {options.Threads}; load average {loadBefore:F2}");
        try
        {
            // 1. The files: written once from a seeded generator, through the library's streaming IDX writer.
            var images = BenchmarkData.LoadTraining(dataFolder, 60_000);
            float[,] pixels;
            using (images)
            {
                pixels = images.ToArray();
            }

            var write = Stopwatch.StartNew();
            var fileBytes = WriteRows(bigFile, pixels, rows);
            WriteRows(sideFile, pixels, sideRows);
            Console.WriteLine($"wrote {bigFile} ({fileBytes / 1e9:F2} GB) and the first {sideRows:N0} rows again in {write.Elapsed.TotalSeconds:F0} s");

            // 2. Memory: one streamed epoch over the whole file in a fresh process, so that its peak is its own;
            //    beside it, the same process's floor: one in-memory epoch over the side-by-side rows.
            var child = RunChild(bigFile, options.Threads, "stream");
            Console.WriteLine($"streamed epoch: {child["samples"]} samples, {child["samples_per_s"]:F0} samples/s, peak RSS {child["vmhwm_mb"]:F0} MB");
            var floor = RunChild(sideFile, options.Threads, "memory");
            Console.WriteLine($"in-memory epoch: {floor["samples"]} samples, peak RSS {floor["vmhwm_mb"]:F0} MB");
            var sgd = RunChild(bigFile, options.Threads, "stream-sgd");
            Console.WriteLine($"streamed epoch with SGD: peak RSS {sgd["vmhwm_mb"]:F0} MB");

            // 3. Throughput, side by side: the same rows from the stream and from memory, interleaved A B B A ...
            using var stream = DataSource.FromIdx(sideFile);
            using var memory = InMemoryDataset.FromSource(stream);
            Epoch(stream, options.Threads, 0);  // warm-up, untimed
            Epoch(memory, options.Threads, 0);
            var streamed = new List<double>();
            var inMemory = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                foreach (var fromStream in r % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    var speed = Epoch(fromStream ? stream : memory, options.Threads, r + 1);
                    (fromStream ? streamed : inMemory).Add(speed);
                    Console.WriteLine($"  repetition {r + 1} {(fromStream ? "stream" : "memory")}: {speed:F0} samples/s");
                }
            }

            var ratio = Stats.Median(streamed) / Stats.Median(inMemory);
            var loadAfter = MachineInfo.LoadAverage();
            var busy = loadBefore > MachineInfo.BusyLoad || loadAfter > MachineInfo.BusyLoad;
            Console.WriteLine($"stream/memory throughput ratio {ratio:F3} (target ≥ 0.9), peak RSS of the streamed run {child["vmhwm_mb"]:F0} MB (target < 1024)");
            var json = new JsonObject
            {
                ["benchmark"] = "b9",
                ["network"] = BenchNetwork.Mlp.Name,
                ["file_rows"] = rows,
                ["file_bytes"] = fileBytes,
                ["streamed_epoch"] = child,
                ["in_memory_epoch"] = floor,
                ["streamed_epoch_sgd"] = sgd,
                ["side_by_side_rows"] = sideRows,
                ["stream_samples_per_s"] = new JsonArray([.. streamed.Select(v => (JsonNode?)v)]),
                ["memory_samples_per_s"] = new JsonArray([.. inMemory.Select(v => (JsonNode?)v)]),
                ["ratio_stream_over_memory"] = ratio,
                ["settings"] = new JsonObject
                {
                    ["threads"] = options.Threads,
                    ["batch"] = BatchSize,
                    ["learning_rate"] = 1e-3,
                    ["optimizer"] = "Adam",
                    ["shuffle"] = true,
                    ["chunk_samples"] = StreamingOptions.Default.ChunkSize ?? StreamingOptions.DefaultChunkBytes / (4 * 784),
                    ["shuffle_buffer_samples"] = StreamingOptions.Default.ShuffleBufferSize ?? StreamingOptions.DefaultShuffleBufferBytes / (4 * 784),
                    ["repetitions"] = repeats,
                    ["seed"] = BenchmarkOptions.Seed,
                    ["quick"] = options.Quick,
                    ["data"] = dataFolder,
                },
                ["machine"] = machine.ToJson(),
                ["load_average"] = new JsonObject { ["start"] = loadBefore, ["end"] = loadAfter },
                ["busy_machine"] = busy,
                ["commit"] = commit,
                ["date"] = started.ToString("O", CultureInfo.InvariantCulture),
            };
            var markdown = Markdown(options, machine, dataFolder, rows, fileBytes, sideRows, child, floor, sgd, streamed, inMemory, ratio, loadBefore, loadAfter, busy, commit, started);
            return new BenchmarkReport($"B9-{started:yyyy-MM-dd}{(options.Quick ? "-quick" : string.Empty)}.md", json, markdown);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
                Console.WriteLine($"deleted {scratch}");
            }
        }
    }

    /// <summary>
    /// The child process: one shuffled epoch of BENCH-MLP from <c>args[1]</c>, streamed ("stream"), loaded into
    /// memory first ("memory"), or streamed with SGD instead of Adam ("stream-sgd"); prints one JSON line.
    /// </summary>
    public static int Child(string[] args)
    {
        var file = args[1];
        var threads = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var model = BenchNetwork.Mlp.BuildLibrary!(BenchmarkOptions.Seed);
        using var stream = DataSource.FromIdx(file);
        using DataSource source = args is [_, _, _, "memory"] ? InMemoryDataset.FromSource(stream) : stream;
        var before = ProcessMemory.ResidentMegabytes();
        var watch = Stopwatch.StartNew();
        var options = Options(threads, 0);
        var history = new Trainer(args[3] == "stream-sgd" ? options with { Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2 } : options).Fit(model, source);
        watch.Stop();
        source.TryGetCount(out var samples);
        Console.WriteLine(new JsonObject
        {
            ["samples"] = samples,
            ["seconds"] = watch.Elapsed.TotalSeconds,
            ["samples_per_s"] = samples / watch.Elapsed.TotalSeconds,
            ["epoch_report_samples_per_s"] = history.Epochs[0].SamplesPerSecond,
            ["loss"] = history.Epochs[0].TrainLoss,
            ["rss_before_training_mb"] = before,
            ["rss_after_mb"] = ProcessMemory.ResidentMegabytes(),
            ["vmhwm_mb"] = ProcessMemory.PeakResidentMegabytes(),
        }.ToJsonString());
        return 0;
    }

    private static TrainerOptions Options(int threads, long seed) =>
        new() { Epochs = 1, BatchSize = BatchSize, LearningRate = 1e-3, Optimizer = OptimizerKind.Adam, Shuffle = true, Threads = threads, Seed = BenchmarkOptions.Seed + seed };

    /// <summary>One timed epoch of a fresh BENCH-MLP; samples per second of wall time around <c>Trainer.Fit</c>.</summary>
    private static double Epoch(DataSource data, int threads, long repetition)
    {
        using var model = BenchNetwork.Mlp.BuildLibrary!(BenchmarkOptions.Seed);
        data.TryGetCount(out var samples);
        var watch = Stopwatch.StartNew();
        new Trainer(Options(threads, repetition)).Fit(model, data);
        return samples / watch.Elapsed.TotalSeconds;
    }

    private static long WriteRows(string path, float[,] pixels, long rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = 12 + (rows * 784 * sizeof(float));
        var free = new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace;
        if (free - bytes < FreeSpaceToKeep)
        {
            throw new IOException($"Writing {bytes / 1e9:F1} GB to {path} would leave less than {FreeSpaceToKeep >> 30} GiB free ({free / 1e9:F1} GB free now).");
        }

        using var source = DataSource.FromEnumerable(AugmentedFashion.Rows(pixels, rows, seed: (int)BenchmarkOptions.Seed), [784]);
        IdxWriter.Write(path, source);
        return new FileInfo(path).Length;
    }

    private static JsonObject RunChild(string file, int threads, string mode)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(B9Streaming).Assembly.Location);
        }

        foreach (var arg in new[] { ChildCommand, file, threads.ToString(CultureInfo.InvariantCulture), mode })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The streamed epoch's process failed (exit {process.ExitCode}): {output}");
        }

        return JsonNode.Parse(line)!.AsObject();
    }

    private static string Markdown(
        BenchmarkOptions options, MachineInfo machine, string dataFolder, long rows, long fileBytes, int sideRows, JsonObject child, JsonObject floor, JsonObject sgd,
        List<double> streamed, List<double> inMemory, double ratio, double loadBefore, double loadAfter, bool busy, string? commit, DateTimeOffset started)
    {
        var inv = CultureInfo.InvariantCulture;
        double Number(string key) => child[key]!.GetValue<double>();
        var peak = Number("vmhwm_mb");
        var md = new StringBuilder();
        md.AppendLine(inv, $"# B9: training from a stream{(options.Quick ? " (quick run)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(inv, $"Date {started:yyyy-MM-dd HH:mm zzz}, commit `{commit ?? "unknown"}`, {(DateTimeOffset.Now - started).TotalMinutes:F1} min.");
        md.AppendLine(inv, $"Written by `dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- b9{(options.Quick ? " --quick" : string.Empty)}{(options.Threads != BenchmarkOptions.DefaultThreads ? $" --threads {options.Threads}" : string.Empty)}`.");
        md.AppendLine();
        md.AppendLine(inv, $"A raw float32 IDX file of {rows:N0} × 784 values ({fileBytes / 1e9:F2} GB), written in one streaming pass by `IdxWriter.Write(path, DataSource)` from Fashion-MNIST training images ({dataFolder}) repeated with seeded augmentation (shift ≤ 2 px, mirror, contrast 0.7–1; seed {BenchmarkOptions.Seed}), then deleted. " +
            $"BENCH-MLP (784-512-128-32-128-512-784) trained by `Trainer.Fit` for one shuffled epoch, Adam lr 0.001, batch {BatchSize}, {options.Threads} intra-op thread(s), `DataSource.FromIdx` with the default streaming options (chunks of {StreamingOptions.DefaultChunkBytes >> 20} MiB read by position in a random order, a {StreamingOptions.DefaultShuffleBufferBytes >> 20} MiB shuffle buffer, reading two chunks ahead on its own thread).");
        md.AppendLine();
        md.AppendLine(inv, $"Load average (1 min): start {loadBefore:F2}, end {loadAfter:F2}.{(busy ? $" **The machine was busy (above {MachineInfo.BusyLoad}): speeds are lower and noisier than on an idle machine; the memory figures are unaffected, the interleaved ratio roughly so.**" : string.Empty)}");
        md.AppendLine();
        md.AppendLine("| result | value | target |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(inv, $"| peak resident memory (VmHWM) of the process that streamed the whole file | {peak:F0} MB | < 1024 MB: {(peak < 1024 ? "met" : "**missed**")} |");
        md.AppendLine(inv, $"| … resident before training (runtime, libtorch, model) | {Number("rss_before_training_mb"):F0} MB | |");
        md.AppendLine(inv, $"| for comparison: peak of the same process training one epoch over the {sideRows:N0} side-by-side rows held in memory ({sideRows * 784 * 4 / 1e6:F0} MB of data) | {floor["vmhwm_mb"]!.GetValue<double>():F0} MB | |");
        md.AppendLine(inv, $"| for comparison: peak of the streamed epoch over the whole file with SGD (lr 0.01, momentum 0.9) instead of Adam | {sgd["vmhwm_mb"]!.GetValue<double>():F0} MB | |");
        md.AppendLine(inv, $"| streamed epoch over all {Number("samples"):N0} samples | {Number("seconds"):F0} s, {Number("samples_per_s"):F0} samples/s, loss {Number("loss"):F2} | |");
        md.AppendLine(inv, $"| throughput from the stream / from memory, the same {sideRows:N0} rows, interleaved (medians of {streamed.Count}) | {ratio:F3} ({Stats.Median(streamed):F0} / {Stats.Median(inMemory):F0} samples/s) | ≥ 0.9: {(ratio >= 0.9 ? "met" : "**missed**")} |");
        md.AppendLine();
        md.AppendLine(inv, $"Individual epochs (samples/s of wall time around `Trainer.Fit`, in order; each a fresh model): stream [{string.Join(", ", streamed.Select(v => v.ToString("F0", inv)))}], memory [{string.Join(", ", inMemory.Select(v => v.ToString("F0", inv)))}].");
        md.AppendLine();
        md.AppendLine(machine.ToMarkdown());
        return md.ToString();
    }
}
