using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Runs a model over arrays and datasets in the data's own units: applies the model's scaler on the way
/// in and inverts it on the way out, feeds the samples in alignment-stable batches, switches the model to
/// evaluation mode and no-grad, and lets many threads run at once. Batches go to the model's device and
/// results come back to managed arrays. The array methods of <see cref="Autoencoder"/> are this type's methods.
/// </summary>
internal sealed class ArrayInference(Autoencoder model)
{
    private readonly Lock modeGate = new();

    public float[,] Encode(float[,] rows) =>
        MapRows(rows, model.FeatureCount, model.LatentSize, x => model.encode(ScaleIn(x)), nameof(rows));

    public float[,] Encode(InMemoryDataset data) => MapDataset(data, model.LatentSize, x => model.encode(ScaleIn(x)));

    /// <summary>The codes of the first <paramref name="maxRows"/> samples of already scaled data.</summary>
    public float[,] EncodeScaled(InMemoryDataset scaledData, int maxRows) => MapDataset(scaledData, model.LatentSize, model.encode, maxRows);

    public float[,] Decode(float[,] codes) =>
        MapRows(codes, model.LatentSize, model.FeatureCount, z => ScaleOut(model.decode(z)), nameof(codes));

    public float[,] Reconstruct(float[,] rows) =>
        MapRows(rows, model.FeatureCount, model.FeatureCount, x => ScaleOut(model.forward(ScaleIn(x))), nameof(rows));

    public float[,] Reconstruct(InMemoryDataset data) => MapDataset(data, model.FeatureCount, x => ScaleOut(model.forward(ScaleIn(x))));

    /// <summary>The squared error of every feature of every sample, after scaling.</summary>
    public float[,] FeatureErrors(InMemoryDataset data) =>
        MapDataset(data, model.FeatureCount, x =>
        {
            var scaled = ScaleIn(x);
            return (model.forward(scaled) - scaled).square();
        });

    /// <summary>The mean squared error per feature over a dataset, in the data's units.</summary>
    public double MeanSquaredError(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        var batches = Batches(data.Count, model.Spec.Backbone.InferenceBatchSize);
        var sums = new double[batches.Length];
        Run(device => ForEachBatch(device, batches, (index, range) =>
        {
            using var scope = torch.NewDisposeScope();
            var x = data.Features.narrow(0, range.Start, range.Length).to(device);
            var error = (ScaleOut(model.forward(ScaleIn(x))).view(x.shape) - x).square().sum().to_type(ScalarType.Float64);
            sums[index] = error.item<double>();
        }));

        // Summed in batch order whichever thread computed which batch, so the result never varies.
        return sums.Sum() / ((double)data.Count * model.FeatureCount);
    }

    /// <summary>
    /// One value per sample from <paramref name="perSample"/>, which receives batches of at most
    /// <paramref name="batchSize"/> scaled samples shaped like the model's input.
    /// </summary>
    public double[] PerSample(InMemoryDataset data, int batchSize, Func<Tensor, Tensor> perSample)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        var result = new double[data.Count];
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        Run(device => ForEachBatch(device, Batches(data.Count, batchSize), (_, range) =>
        {
            using var scope = torch.NewDisposeScope();
            var x = ScaleIn(data.Features.narrow(0, range.Start, range.Length).view([range.Length, .. inputShape]).clone().to(device));
            var values = perSample(x).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            values.CopyTo(result, range.Start);
        }));
        return result;
    }

    private Tensor ScaleIn(Tensor x) => model.Scaler is { } scaler ? scaler.Transform(x) : x;

    private Tensor ScaleOut(Tensor x) => model.Scaler is { } scaler ? scaler.InverseTransform(x) : x;

    private float[,] MapRows(float[,] rows, int inputWidth, int outputWidth, Func<Tensor, Tensor> map, string parameterName)
    {
        InputValidator.ThrowIfNotWidth(rows, inputWidth, parameterName);
        var count = rows.GetLength(0);
        var inputShape = inputWidth == model.FeatureCount ? model.InputShape.Select(d => (long)d).ToArray() : [inputWidth];
        var result = new float[count, outputWidth];
        Run(device =>
        {
            using var scope = torch.NewDisposeScope();
            // torch.tensor wraps the managed array, whose alignment differs from libtorch's own
            // allocations; SGEMM results depend on alignment, so copy into libtorch memory to keep
            // outputs bit-identical from call to call.
            var all = torch.tensor(rows).clone();
            InputValidator.ThrowIfNotFinite(all, parameterName);
            ForEachBatch(device, Batches(count, model.Spec.Backbone.InferenceBatchSize), (_, range) =>
            {
                using var batchScope = torch.NewDisposeScope();
                var x = all.narrow(0, range.Start, range.Length).view([range.Length, .. inputShape]).to(device);
                CopyRows(map(x), result, range.Start, outputWidth);
            });
        });
        return result;
    }

    private float[,] MapDataset(InMemoryDataset data, int outputWidth, Func<Tensor, Tensor> map, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        var rows = Math.Min(data.Count, maxRows ?? int.MaxValue);
        var result = new float[rows, outputWidth];
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        Run(device => ForEachBatch(device, Batches(rows, model.Spec.Backbone.InferenceBatchSize), (_, range) =>
        {
            using var scope = torch.NewDisposeScope();
            var x = data.Features.narrow(0, range.Start, range.Length).view([range.Length, .. inputShape]).to(device);
            CopyRows(map(x), result, range.Start, outputWidth);
        }));
        return result;
    }

    private static void CopyRows(Tensor output, float[,] result, int startRow, int width)
    {
        var values = output.to_type(ScalarType.Float32).cpu().contiguous();
        var destination = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        MemoryMarshal.Cast<byte, float>(values.bytes).CopyTo(destination.Slice(startRow * width, (int)values.numel()));
    }
    /// <summary>
    /// Runs <paramref name="body"/> on every batch. With more than one intra-op thread for this call and
    /// more than one batch, the batches are shared among that many threads, each running libtorch on one
    /// thread (one matrix product per thread is more efficient than one split across threads). The batches
    /// are the same whoever runs them, and libtorch computes each the same on any thread count, so the
    /// results do not depend on it. Batches on another device run one after the other.
    /// </summary>
    private static void ForEachBatch(Device device, (int Start, int Length)[] batches, Action<int, (int Start, int Length)> body)
    {
        var threads = torch.get_num_threads();
        var workers = device.type == DeviceType.CPU ? Math.Min(threads, batches.Length) : 1;
        if (workers <= 1)
        {
            for (var i = 0; i < batches.Length; i++)
            {
                body(i, batches[i]);
            }

            return;
        }

        var perWorker = Math.Max(1, threads / workers);
        var next = -1;
        void Work()
        {
            var previous = torch.get_num_threads();
            torch.set_num_threads(perWorker);
            try
            {
                using var noGrad = torch.no_grad();
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Length)
                {
                    body(i, batches[i]);
                }
            }
            finally
            {
                torch.set_num_threads(previous);
            }
        }

        var helpers = Enumerable.Range(1, workers - 1).Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        Exception? failure = null;
        try
        {
            Work();
        }
        catch (Exception e)
        {
            failure = e;
            Interlocked.Exchange(ref next, batches.Length); // stop handing out batches
        }

        try
        {
            Task.WaitAll(helpers);
        }
        catch (AggregateException e)
        {
            failure ??= e.InnerExceptions[0];
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }


    /// <summary>Runs <paramref name="action"/>, which receives the model's device, in evaluation mode without gradients.</summary>
    private void Run(Action<Device> action)
    {
        using var threads = Native.IntraOpThreads.Use(null);
        var device = model.Device;
        model.ThrowIfOnMeta("run");

        // A model in evaluation mode (as the trainer leaves it) is only read, so any number of threads
        // may run inference at once. A model in training mode is switched to evaluation mode for the
        // call and back, which must not interleave with another call.
        if (!model.training)
        {
            using var noGrad = torch.no_grad();
            action(device);
            return;
        }

        lock (modeGate)
        {
            model.eval();
            try
            {
                using var noGrad = torch.no_grad();
                action(device);
            }
            finally
            {
                model.train();
            }
        }
    }

    /// <summary>
    /// Consecutive ranges of at most <paramref name="size"/> rows; a size that is a multiple of 16 keeps
    /// every batch 64-byte aligned inside a libtorch-allocated tensor.
    /// </summary>
    private static (int Start, int Length)[] Batches(int count, int size)
    {
        var batches = new List<(int Start, int Length)>();
        for (var start = 0; start < count; start += size)
        {
            batches.Add((start, Math.Min(size, count - start)));
        }

        return [.. batches];
    }
}
