using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autoencoders.Data;
using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Runs a model over arrays and data sources (in memory or streamed) in the data's own units: applies the
/// model's scaler on the way in and inverts it on the way out, feeds the samples in alignment-stable
/// batches, switches the model to evaluation mode and no-grad, and lets many threads run at once. Batches
/// go to the model's device and results come back to managed arrays. The array methods of
/// <see cref="Autoencoder"/> are this type's methods.
/// </summary>
internal sealed class ArrayInference(Autoencoder model)
{
    private readonly Lock modeGate = new();

    public float[,] Encode(float[,] rows) =>
        MapRows(rows, model.FeatureCount, model.LatentSize, x => model.encode(ScaleIn(x)), nameof(rows));

    /// <summary>The codes of the samples, or of the first <paramref name="maxRows"/> of them.</summary>
    public float[,] Encode(DataSource data, int? maxRows = null) => MapSource(data, model.LatentSize, x => model.encode(ScaleIn(x)), maxRows);

    public float[,] Decode(float[,] codes) =>
        MapRows(codes, model.LatentSize, model.FeatureCount, z => ScaleOut(model.decode(z)), nameof(codes));

    public float[,] Reconstruct(float[,] rows) =>
        MapRows(rows, model.FeatureCount, model.FeatureCount, x => ScaleOut(model.forward(ScaleIn(x))), nameof(rows));

    public float[,] Reconstruct(DataSource data) => MapSource(data, model.FeatureCount, x => ScaleOut(model.forward(ScaleIn(x))));

    /// <summary>The squared error of every feature of every sample, after scaling.</summary>
    public float[,] FeatureErrors(DataSource data) =>
        MapSource(data, model.FeatureCount, x =>
        {
            var scaled = ScaleIn(x);
            return (model.forward(scaled) - scaled).Square();
        });

    /// <summary>The mean squared error per feature over a dataset, in the data's units.</summary>
    public double MeanSquaredError(DataSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        var batchSize = model.Spec.Backbone.InferenceBatchSize;
        List<(double Sum, long Count)> sums = [];
        Run((device, workers) => sums = InBatches(device, workers, data.InOrder(batchSize), BatchCount(data, batchSize), (_, batch) =>
        {
            var x = batch.view([batch.shape[0], .. inputShape]).to(device); // flat rows may feed any model (Shapes.Fits)
            var error = (ScaleOut(model.forward(ScaleIn(x))).view(x.shape) - x).Square().sum().to_type(ScalarType.Float64);
            return (error.item<double>(), x.shape[0]);
        }));

        // Summed in batch order whichever thread computed which batch, so the result never varies.
        var sum = 0.0;
        long count = 0;
        foreach (var part in sums)
        {
            sum += part.Sum;
            count += part.Count;
        }

        return sum / ((double)count * model.FeatureCount);
    }

    /// <summary>
    /// One value per sample from <paramref name="perSample"/>, which receives batches of at most
    /// <paramref name="batchSize"/> scaled samples shaped like the model's input.
    /// </summary>
    public double[] PerSample(DataSource data, int batchSize, Func<Tensor, Tensor> perSample)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        List<double[]> parts = [];
        Run((device, workers) => parts = InBatches(device, workers, data.InOrder(batchSize), BatchCount(data, batchSize), (_, batch) =>
        {
            var x = ScaleIn(batch.view([batch.shape[0], .. inputShape]).clone().to(device));
            return perSample(x).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        }));
        return [.. parts.SelectMany(part => part)];
    }

    private Tensor ScaleIn(Tensor x) => model.Scaler is { } scaler ? scaler.Transform(x) : x;

    private Tensor ScaleOut(Tensor x) => model.Scaler is { } scaler ? scaler.InverseTransform(x) : x;

    private float[,] MapRows(float[,] rows, int inputWidth, int outputWidth, Func<Tensor, Tensor> map, string parameterName)
    {
        InputValidator.ThrowIfNotWidth(rows, inputWidth, parameterName);
        var count = rows.GetLength(0);
        var inputShape = inputWidth == model.FeatureCount ? model.InputShape.Select(d => (long)d).ToArray() : [inputWidth];
        var batchSize = model.Spec.Backbone.InferenceBatchSize;
        var result = new float[count, outputWidth];
        Run((device, workers) =>
        {
            using var scope = torch.NewDisposeScope();
            // torch.tensor wraps the managed array, whose alignment differs from libtorch's own
            // allocations; SGEMM results depend on alignment, so copy into libtorch memory to keep
            // outputs bit-identical from call to call.
            var all = torch.tensor(rows).clone();
            InputValidator.ThrowIfNotFinite(all, parameterName);
            InBatches(device, workers, Slices(all, batchSize), (count + batchSize - 1) / batchSize, (start, batch) =>
            {
                var x = batch.view([batch.shape[0], .. inputShape]).to(device);
                CopyRows(map(x), result, (int)start, outputWidth);
                return true;
            });
        });
        return result;
    }

    /// <summary>
    /// One output row per sample (of the first <paramref name="maxRows"/>), in the source's order: written
    /// straight into the result when the count is known, gathered batch by batch when a stream's is not.
    /// </summary>
    private float[,] MapSource(DataSource data, int outputWidth, Func<Tensor, Tensor> map, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        var limit = maxRows ?? int.MaxValue;
        var result = data.TryGetCount(out var count) ? new float[checked((int)Math.Min(count, limit)), outputWidth] : null;
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        var batchSize = model.Spec.Backbone.InferenceBatchSize;
        List<float[]?> parts = [];
        Run((device, workers) => parts = InBatches(device, workers, FirstRows(data.InOrder(batchSize), limit), BatchCount(data, batchSize), (start, batch) =>
        {
            var length = Math.Min(batch.shape[0], limit - start);
            var output = map(batch.narrow(0, 0, length).view([length, .. inputShape]).to(device));
            if (result is not null)
            {
                CopyRows(output, result, (int)start, outputWidth);
                return null;
            }

            return output.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        }));
        return result ?? Assemble([.. parts.OfType<float[]>()], outputWidth);
    }

    private static void CopyRows(Tensor output, float[,] result, int startRow, int width)
    {
        var values = output.to_type(ScalarType.Float32).cpu().contiguous();
        var destination = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        MemoryMarshal.Cast<byte, float>(values.bytes).CopyTo(destination.Slice(startRow * width, (int)values.numel()));
    }

    private static float[,] Assemble(List<float[]> parts, int width)
    {
        var result = new float[parts.Sum(part => part.Length) / width, width];
        var destination = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(destination[offset..]);
            offset += part.Length;
        }

        return result;
    }

    /// <summary>
    /// <paramref name="body"/>'s result for every batch, in the batches' order; the body receives the index
    /// of the batch's first sample and the batch, which is disposed after it, and runs in a dispose scope.
    /// With more than one batch and <paramref name="workerBudget"/> above 1, the batches are shared among that
    /// many workers (handed out one at a time from <paramref name="batches"/>), each running libtorch on
    /// its share of the call's intra-op threads, at least one: one matrix product per thread is more
    /// efficient than one split across threads, and workers never wait for each other. The batches are
    /// the same whoever runs them, and libtorch computes each the same on any thread count, so the results
    /// do not depend on it. A single batch runs on the call's intra-op threads; batches on another device
    /// run one after the other. <paramref name="expectedBatches"/> is how many batches there will be, if
    /// known (int.MaxValue if not): no more workers start.
    /// </summary>
    private static List<T> InBatches<T>(Device device, int workerBudget, IEnumerable<Tensor> batches, int expectedBatches, Func<long, Tensor, T> body)
    {
        var threads = torch.get_num_threads();
        var workers = device.type == DeviceType.CPU ? Math.Max(1, Math.Min(workerBudget, expectedBatches)) : 1;
        var perWorker = Math.Max(1, threads / workers);
        var results = new List<T>();
        var gate = new Lock();
        using var source = batches.GetEnumerator();
        long nextStart = 0;
        var finished = false;

        // The source is read by one thread at a time, in order; a failure stops everyone.
        bool TryTake(out int index, out long start, out Tensor? batch)
        {
            lock (gate)
            {
                (index, start, batch) = (results.Count, nextStart, null);
                try
                {
                    if (finished || !source.MoveNext())
                    {
                        finished = true;
                        return false;
                    }
                }
                catch
                {
                    finished = true;
                    throw;
                }

                batch = source.Current;
                nextStart += batch.shape[0];
                results.Add(default!);
                return true;
            }
        }

        void Work()
        {
            var previous = torch.get_num_threads();
            if (workers > 1)
            {
                torch.set_num_threads(perWorker);
            }

            try
            {
                using var noGrad = torch.no_grad();
                while (TryTake(out var index, out var start, out var batch))
                {
                    using var owned = batch!;
                    using var scope = torch.NewDisposeScope();
                    var value = body(start, owned);
                    lock (gate)
                    {
                        results[index] = value;
                    }
                }
            }
            catch
            {
                lock (gate)
                {
                    finished = true;
                }

                throw;
            }
            finally
            {
                if (workers > 1)
                {
                    torch.set_num_threads(previous);
                }
            }
        }

        // Helpers run on the thread pool, whose threads keep their libtorch and allocator state warm from
        // call to call (new threads made a call after a garbage collection 10 % slower). A helper the pool
        // starts late, once the batches are gone, returns at once: the caller waits only for helpers that
        // started in time, so a busy pool delays no call.
        Exception? failure = null;
        var running = new CountdownEvent(1); // not disposed: a late helper may still try to join it
        void Worker()
        {
            try
            {
                Work();
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    failure ??= e;
                }
            }
            finally
            {
                running.Signal();
            }
        }

        for (var i = 1; i < workers; i++)
        {
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (running.TryAddCount())
                {
                    Worker();
                }
            });
        }

        Worker(); // the caller's share; its count is the event's initial one
        running.Wait();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return results;
    }

    /// <summary>How many batches of <paramref name="batchSize"/> the source holds, or int.MaxValue if it does not know.</summary>
    private static int BatchCount(DataSource data, int batchSize) =>
        data.TryGetCount(out var count) ? (int)Math.Min(int.MaxValue, (count + batchSize - 1) / batchSize) : int.MaxValue;

    /// <summary>
    /// Views of consecutive rows of <paramref name="all"/>, at most <paramref name="size"/> each; a size
    /// that is a multiple of 16 keeps every batch 64-byte aligned inside a libtorch-allocated tensor.
    /// </summary>
    private static IEnumerable<Tensor> Slices(Tensor all, int size)
    {
        var count = all.shape[0];
        for (long start = 0; start < count; start += size)
        {
            yield return all.narrow(0, start, Math.Min(size, count - start));
        }
    }

    /// <summary>The batches up to the one that holds the <paramref name="limit"/>-th sample; a stream is not read further.</summary>
    private static IEnumerable<Tensor> FirstRows(IEnumerable<Tensor> batches, long limit)
    {
        long rows = 0;
        foreach (var batch in batches)
        {
            var size = batch.shape[0];
            yield return batch;
            rows += size;
            if (rows >= limit)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/>, which receives the model's device and how many workers the thread
    /// policy allows the call (<see cref="IntraOpThreads.Scope.Workers"/>), in evaluation mode without gradients.
    /// </summary>
    private void Run(Action<Device, int> action)
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
            action(device, threads.Workers);
            return;
        }

        lock (modeGate)
        {
            model.eval();
            try
            {
                using var noGrad = torch.no_grad();
                action(device, threads.Workers);
            }
            finally
            {
                model.train();
            }
        }
    }
}
