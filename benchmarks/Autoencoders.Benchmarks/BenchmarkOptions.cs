namespace Autoencoders.Benchmarks;

/// <summary>The parsed command line: which benchmark and its settings.</summary>
/// <param name="Name">The benchmark to run: one of <see cref="Names"/>.</param>
/// <param name="Quick">A short run that checks the program works (small N, few repetitions).</param>
/// <param name="OutPath">Where to write the JSON summary, or null for none.</param>
/// <param name="Threads">libtorch intra-op threads for the main measurements.</param>
/// <param name="DataFolder">The Fashion-MNIST folder, or null to look in the usual places.</param>
/// <param name="Evaluate">b2/b3 only: measure the networks saved by an earlier run instead of training.</param>
/// <param name="ArtifactsFolder">b2/b3 only: where the trained networks are saved, or null for benchmarks/artifacts/b2.</param>
/// <param name="TrainLatent">b2/b3 only: train only the networks of this latent size (null: all), so that two
/// processes can train different networks into one artifacts folder; the evaluation still covers them all.</param>
/// <param name="TrainFamily">b2/b3 only: train only this family's networks ("dense_ae", "conv_ae", "vae"; null: all).</param>
internal sealed record BenchmarkOptions(string Name, bool Quick, string? OutPath, int Threads, string? DataFolder, bool Evaluate = false, string? ArtifactsFolder = null, int? TrainLatent = null, string? TrainFamily = null)
{
    /// <summary>The intra-op thread count B1 uses by default (BENCHMARKS.md, B1).</summary>
    public const int DefaultThreads = 2;

    /// <summary>The seed for model initialisation and shuffling.</summary>
    public const long Seed = 42;

    public static readonly string[] Names = ["b1", "b1-profile", "b2", "b3", "b2-select", "b4", "b5", "b6", "b7", "b8", "b9", "soak", "onnx"];

    public const string Usage =
        """
        usage: dotnet run -c Release --project benchmarks/Autoencoders.Benchmarks -- <name> [options]

        names:
          b1      training and inference throughput of BENCH-MLP and BENCH-CONV, library versus a
                  hand-written TorchSharp loop in the same process, GFLOP/s against a measured SGEMM peak
          b1-profile  where B1's CPU time goes, by kind of work (matrix products, Adam's kernels, copies,
                  waiting threads, page faults, ...), library beside hand-written: each workload alone in
                  its own process, sampled by Linux perf (needs linux-perf)
          b2      reconstruction (B2: test MSE/pixel) and representation quality (B3: 5-NN accuracy of
                  the codes) of PCA, dense AE, conv AE and VAE at latent sizes 2 and 64, 50 epochs;
                  trains only the networks not yet saved in benchmarks/artifacts/b2, then measures all
          b3      the same run as b2 (one set of trained networks gives both tables)
          b2-select  the short runs (3 epochs, 20,000 images, validation split) that chose b2's settings
          b6      test negative ELBO and IWAE NLL of a dense VAE on dynamically binarised Fashion-MNIST
          onnx    B1 inference of BENCH-MLP and BENCH-CONV exported to ONNX: ONNX Runtime beside the
                  library (TorchSharp), same threads and batch size, and the max |output difference|
          soak    a long library training run that samples resident memory after every epoch
          b4      one-class anomaly detection (train on one class, AUROC on the whole test set) for the
                  default detector, a dense AE, a VAE and PCA, against published results
          b5      linear autoencoder versus PCA on centred data (k = 2, 10): largest principal angle,
                  MSE relative to PCA, training time; with an L2 penalty in the loss (k = 8), matched
                  principal directions and W_enc against W_decᵀ (--threads does not apply: 1 thread)
          b7      PCA fit time on the training matrix (all components, k = 50) by route, and agreement
                  with an exact eigen-decomposition
          b8      the time-series detector as a NAB detector on the 18 shipped NAB series: the three
                  profiles' scores beside the published detectors', ablations, sensitivity, time per file
                  (--threads and --data do not apply)
          b9      BENCH-MLP for one epoch streamed from a 4.4 GB raw IDX file (written to the temp folder,
                  deleted afterwards; needs 15 GiB to stay free): peak resident memory of that run, and
                  throughput from a stream against the same rows in memory, interleaved

        options:
          --quick           a short run (a few minutes) that checks everything works
          --out <file>      also write the summary as JSON to <file>
          --threads <n>     libtorch intra-op threads (default 2)
          --data <folder>   Fashion-MNIST folder (default: /usr/share/datasets/fashion-mnist, else the
                            repository's samples/data/fashion-mnist-subset)
          --evaluate        b2/b3: train nothing; load the saved networks and compute the metrics
          --artifacts <dir> b2/b3: where the trained networks are saved (default benchmarks/artifacts/b2)
          --latent <k>      b2/b3: train only the networks with latent size k (e.g. one process per k)
          --family <key>    b2/b3: train only this family's networks (dense_ae, conv_ae or vae)
        """;

    /// <summary>
    /// Parses the arguments; returns null (after printing why) when they are not understood.
    /// </summary>
    /// <remarks>
    /// Parsed by hand: one positional name and three flags do not justify a dependency
    /// (System.CommandLine is still in preview and would be the only package the benchmarks add).
    /// </remarks>
    public static BenchmarkOptions? Parse(string[] args, TextWriter error)
    {
        string? name = null;
        var quick = false;
        string? outPath = null;
        var threads = DefaultThreads;
        string? data = null;
        var evaluate = false;
        string? artifacts = null;
        int? trainLatent = null;
        string? trainFamily = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--evaluate":
                    evaluate = true;
                    break;
                case "--out" or "--data" or "--threads" or "--artifacts" or "--latent" or "--family":
                    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error.WriteLine($"{arg} needs a value.");
                        return null;
                    }

                    var value = args[++i];
                    if (arg == "--out")
                    {
                        outPath = value;
                    }
                    else if (arg == "--data")
                    {
                        data = value;
                    }
                    else if (arg == "--artifacts")
                    {
                        artifacts = value;
                    }
                    else if (arg == "--family")
                    {
                        trainFamily = value;
                    }
                    else if (arg == "--latent")
                    {
                        if (!int.TryParse(value, out var latent) || latent < 1)
                        {
                            error.WriteLine($"--latent needs a positive integer; got '{value}'.");
                            return null;
                        }

                        trainLatent = latent;
                    }
                    else if (!int.TryParse(value, out threads) || threads < 1)
                    {
                        error.WriteLine($"--threads needs a positive integer; got '{value}'.");
                        return null;
                    }

                    break;
                default:
                    if (arg.StartsWith('-') || name is not null || !Names.Contains(arg))
                    {
                        error.WriteLine(name is not null && !arg.StartsWith('-')
                            ? $"Only one benchmark name may be given; got '{name}' and '{arg}'."
                            : $"Unknown argument '{arg}'.");
                        return null;
                    }

                    name = arg;
                    break;
            }
        }

        if (name is null)
        {
            error.WriteLine("No benchmark name given.");
            return null;
        }

        if ((evaluate || artifacts is not null || trainLatent is not null || trainFamily is not null) && name is not ("b2" or "b3"))
        {
            error.WriteLine($"--evaluate, --artifacts, --latent and --family apply to b2/b3 only, not to {name}.");
            return null;
        }

        return new BenchmarkOptions(name, quick, outPath, threads, data, evaluate, artifacts, trainLatent, trainFamily);
    }
}
