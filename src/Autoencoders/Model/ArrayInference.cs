using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autoencoders.Data;
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
            return (model.forward(scaled) - scaled).square();
        });

    /// <summary>The mean squared error per feature over a dataset, in the data's units.</summary>
    public double MeanSquaredError(DataSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputValidator.ThrowIfShapeDoesNotFit(data.SampleShape, model.InputShape, nameof(data));
        double sum = 0;
        long count = 0;
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        Run(device =>
        {
            foreach (var batch in data.InOrder(model.Spec.Backbone.InferenceBatchSize))
            {
                using var scope = torch.NewDisposeScope();
                using var batchOnCpu = batch;
                var x = batch.view([batch.shape[0], .. inputShape]).to(device); // flat rows may feed any model (Shapes.Fits)
                var error = (ScaleOut(model.forward(ScaleIn(x))).view(x.shape) - x).square().sum().to_type(ScalarType.Float64);
                sum += error.item<double>();
                count += x.shape[0];
            }
        });
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
        var result = new List<double>();
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        Run(device =>
        {
            foreach (var batch in data.InOrder(batchSize))
            {
                using var scope = torch.NewDisposeScope();
                using var owned = batch;
                var x = ScaleIn(batch.view([batch.shape[0], .. inputShape]).clone().to(device));
                result.AddRange(perSample(x).to_type(ScalarType.Float64).cpu().data<double>().ToArray());
            }
        });
        return [.. result];
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
            foreach (var range in Batches(count, model.Spec.Backbone.InferenceBatchSize))
            {
                using var batchScope = torch.NewDisposeScope();
                var x = all.narrow(0, range.Start, range.Length).view([range.Length, .. inputShape]).to(device);
                CopyRows(map(x), result, range.Start, outputWidth);
            }
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
        var gathered = result is null ? new List<float[]>() : null;
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        var rows = 0;
        Run(device =>
        {
            foreach (var batch in data.InOrder(model.Spec.Backbone.InferenceBatchSize))
            {
                using var scope = torch.NewDisposeScope();
                using var owned = batch;
                var length = (int)Math.Min(batch.shape[0], limit - rows);
                var x = batch.narrow(0, 0, length).view([length, .. inputShape]).to(device);
                if (result is not null)
                {
                    CopyRows(map(x), result, rows, outputWidth);
                }
                else
                {
                    gathered!.Add(map(x).to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray());
                }

                rows += length;
                if (rows == limit)
                {
                    break;
                }
            }
        });
        return result ?? Assemble(gathered!, rows, outputWidth);
    }

    private static void CopyRows(Tensor output, float[,] result, int startRow, int width)
    {
        var values = output.to_type(ScalarType.Float32).cpu().contiguous();
        var destination = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        values.data<float>().CopyTo(destination.Slice(startRow * width, (int)values.numel()));
    }

    private static float[,] Assemble(List<float[]> parts, int rows, int width)
    {
        var result = new float[rows, width];
        var destination = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(destination[offset..]);
            offset += part.Length;
        }

        return result;
    }

    /// <summary>Runs <paramref name="action"/>, which receives the model's device, in evaluation mode without gradients.</summary>
    private void Run(Action<Device> action)
    {
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
    private static IEnumerable<(int Start, int Length)> Batches(int count, int size)
    {
        for (var start = 0; start < count; start += size)
        {
            yield return (start, Math.Min(size, count - start));
        }
    }
}
