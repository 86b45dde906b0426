using Autoencoders.Benchmarks;

// Hidden commands: the processes B1 starts itself (busy competitors, one wait-policy worker per spin count, profiled workloads).
if (args is [BusyProcesses.Command])
{
    return BusyProcesses.Run();
}

if (args.Length > 0 && args[0] == WaitPolicySweep.Command)
{
    return WaitPolicySweep.Worker(args);
}

if (args is [ProfileWorkload.Command, ..])
{
    return ProfileWorkload.Run(args);
}

if (args is [B9Streaming.ChildCommand, ..])
{
    return B9Streaming.Child(args);
}

var options = BenchmarkOptions.Parse(args, Console.Error);
if (options is null)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

// B5, B7 and B8 write their own JSON and Markdown reports.
if (options.Name is "b5" or "b7" or "b8")
{
    return options.Name switch
    {
        "b5" => B5LinearPca.Run(options.Quick, options.OutPath, options.DataFolder),
        "b7" => B7PcaSpeed.Run(options.Quick, options.OutPath, options.DataFolder),
        _ => B8Nab.Run(options.Quick, options.OutPath),
    };
}

var result = options.Name switch
{
    "b1" => B1Throughput.Run(options),
    "soak" => Soak.Run(options),
    "b4" => B4OneClass.Run(options),
    "b2" or "b3" => B2Representation.Run(options),
    "b2-select" => B2Selection.Run(options),
    "b6" => B6Likelihood.Run(options),
    "onnx" => OnnxInference.Run(options),
    "b1-profile" => B1Profile.Run(options),
    "b9" => B9Streaming.Run(options),
    _ => throw new InvalidOperationException($"Unhandled benchmark '{options.Name}'."),
};

ResultWriter.Write(result, options);
return 0;
