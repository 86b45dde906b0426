using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// An autoencoder: <see cref="Encoder"/> → <see cref="Bottleneck"/> → code → <see cref="Decoder"/>,
/// built from an <see cref="AutoencoderSpec"/>, optionally carrying the fitted <see cref="Scaler"/> of
/// its data. Train it with <c>Trainer</c>; use it through the array methods below, or as a TorchSharp
/// module (<c>forward</c>, <c>encode</c>, <c>decode</c>, <see cref="ComputeLoss"/>) in model space.
/// </summary>
/// <remarks>
/// The array methods (<see cref="Encode(float[,])"/>, <see cref="Reconstruct(float[,])"/>, ...) take data in
/// the user's units: the scaler, when set, is applied on the way in and inverted on the way out. The
/// lower-case module methods work on already-scaled tensors.
/// <para>Threads: the array methods may be called from many threads at once on one model, and give the
/// same results as sequential calls, as long as no training runs on it at the same time (the trainer
/// leaves a model in evaluation mode). Training is not thread-safe: train a model on one thread.</para>
/// </remarks>
/// <example>
/// <code>
/// using var model = AutoencoderSpec.Dense(784, 32, [512, 128], output: OutputActivation.Sigmoid).Build(seed: 1);
/// new Trainer(new TrainerOptions { Epochs = 10 }).Fit(model, train);
/// float[,] codes = model.Encode(rows);
/// model.Save("fashion.aemodel");
/// using var again = Autoencoder.Load("fashion.aemodel");
/// </code>
/// </example>
public sealed partial class Autoencoder : nn.Module<Tensor, Tensor>
{


    private readonly Encoder encoder;
    private readonly Bottleneck bottleneck;
    private readonly Decoder decoder;
    private readonly Penalty[] penalties;
    private readonly bool needsInputGradient;
    private readonly Lock modeGate = new();
    private Scaler? scaler;

    internal Autoencoder(AutoencoderSpec spec)
        : base(nameof(Autoencoder))
    {
        Spec = spec;
        encoder = spec.Backbone.CreateEncoder(spec.InputShape);
        bottleneck = spec.Bottleneck.Create(encoder.OutputSize);
        decoder = spec.Backbone.CreateDecoder(bottleneck.LatentSize, spec.InputShape);
        penalties = spec.Penalties.Select(p => p.Create(spec)).ToArray();
        needsInputGradient = penalties.Any(p => p.NeedsInputGradient);
        RegisterComponents();
    }

    /// <summary>The spec this model was built from.</summary>
    public AutoencoderSpec Spec { get; }

    /// <summary>The shape of one input sample.</summary>
    public IReadOnlyList<int> InputShape => Spec.InputShape;

    /// <summary>The number of input features (the product of the input shape).</summary>
    public int FeatureCount => Spec.FeatureCount;

    /// <summary>The size of the code.</summary>
    public int LatentSize => bottleneck.LatentSize;

    /// <summary>The encoder module.</summary>
    public Encoder Encoder => encoder;

    /// <summary>The bottleneck module.</summary>
    public Bottleneck Bottleneck => bottleneck;

    /// <summary>The decoder module.</summary>
    public Decoder Decoder => decoder;

    /// <summary>
    /// The scaler fitted on the training data, or null when the data needs none. The trainer and the
    /// array methods apply it; it is saved with the model.
    /// </summary>
    public Scaler? Scaler
    {
        get => scaler;
        set
        {
            if (value is not null && value.FeatureCount != FeatureCount)
            {
                throw new ArgumentException(
                    $"The scaler was fitted on {value.FeatureCount} features but the model takes {FeatureCount}.", nameof(value));
            }

            scaler = value;
        }
    }

    /// <summary>The deterministic code of a batch of (scaled) inputs, [batch, latent].</summary>
    public Tensor encode(Tensor input) => bottleneck.forward(encoder.forward(input));

    /// <summary>The reconstruction, in model space, of a batch of codes.</summary>
    public Tensor decode(Tensor code) => ApplyOutput(decoder.forward(code));

    /// <summary>The reconstruction of a batch of (scaled) inputs through the deterministic code.</summary>
    public override Tensor forward(Tensor input) => decode(encode(input));

    /// <summary>
    /// The loss of one batch of (scaled) inputs as named terms: the reconstruction term (a negative
    /// log-likelihood summed over features, averaged over the batch), the terms the bottleneck adds
    /// (a VAE's KL), then each penalty's term. In training mode the input is corrupted first, when the
    /// spec says so; the target is always the clean batch.
    /// </summary>
    /// <param name="batch">A batch shaped [batch, ...InputShape], already scaled.</param>
    /// <param name="context">The noise generator and training progress; <see cref="LossContext.Default"/> when null.</param>
    public LossTerms ComputeLoss(Tensor batch, LossContext? context = null)
    {
        CheckBatchShape(batch);
        context ??= LossContext.Default;
        using var gradientMode = needsInputGradient ? torch.enable_grad() : null;
        var target = batch;
        CheckLikelihoodDomain(target);
        var input = training && Spec.Corruption is { } corruption ? corruption.Apply(batch, context.Generator) : batch;
        if (needsInputGradient)
        {
            input = input.detach().requires_grad_(true);
        }

        var features = encoder.forward(input);
        var bottleneckTerms = new LossTerms();
        var code = bottleneck.Sample(features, bottleneckTerms, context);
        var output = decoder.forward(code);

        var terms = new LossTerms();
        terms.Add(LossTerms.Reconstruction, ReconstructionLoss(output, target));
        foreach (var (name, value) in bottleneckTerms.Terms)
        {
            terms.Add(name, value);
        }

        var penaltyContext = new PenaltyContext(this, input, features, code);
        for (var i = 0; i < penalties.Length; i++)
        {
            terms.Add(Spec.Penalties[i].Name, penalties[i].Compute(penaltyContext));
        }

        return terms;
    }

    /// <summary>Encodes rows of features (one sample per row, in the data's units) to codes.</summary>
    public float[,] Encode(float[,] rows) => MapRows(rows, FeatureCount, LatentSize, x => encode(ScaleIn(x)));

    /// <summary>Encodes every sample of a dataset to codes, one row per sample.</summary>
    public float[,] Encode(InMemoryDataset data) => MapDataset(data, LatentSize, x => encode(ScaleIn(x)));

    /// <summary>Decodes codes to rows of features in the data's units.</summary>
    public float[,] Decode(float[,] codes) => MapRows(codes, LatentSize, FeatureCount, z => ScaleOut(decode(z)));

    /// <summary>Reconstructs rows of features (in the data's units) through the code.</summary>
    public float[,] Reconstruct(float[,] rows) => MapRows(rows, FeatureCount, FeatureCount, x => ScaleOut(forward(ScaleIn(x))));

    /// <summary>Reconstructs every sample of a dataset, one flattened row per sample, in the data's units.</summary>
    public float[,] Reconstruct(InMemoryDataset data) => MapDataset(data, FeatureCount, x => ScaleOut(forward(ScaleIn(x))));

    /// <summary>
    /// The mean squared reconstruction error per feature over a dataset, in the data's units
    /// (the figure usually quoted as "MSE per pixel").
    /// </summary>
    public double MeanSquaredError(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSampleShape(data.SampleShape);
        double sum = 0;
        RunInference(() =>
        {
            foreach (var range in Batches(data.Count))
            {
                using var scope = torch.NewDisposeScope();
                var x = data.Features.narrow(0, range.Start, range.Length);
                var error = (ScaleOut(forward(ScaleIn(x))).view(x.shape) - x).square().sum().to_type(ScalarType.Float64);
                sum += error.item<double>();
            }
        });
        return sum / ((double)data.Count * FeatureCount);
    }

    private Tensor ApplyOutput(Tensor output) => Spec.Output switch
    {
        OutputActivation.Sigmoid => torch.sigmoid(output),
        _ => output,
    };

    /// <summary>The batch mean of the per-sample negative log-likelihood, by fused reductions where they exist.</summary>
    private Tensor ReconstructionLoss(Tensor output, Tensor target) => Spec.Likelihood switch
    {
        ReconstructionLikelihood.Gaussian => nn.functional.mse_loss(ApplyOutput(output), target, nn.Reduction.Sum) / target.shape[0],
        _ => NegativeLogLikelihood(output, target, withConstant: false).mean(),
    };

    /// <summary>Refuses a batch the likelihood is not defined for (Bernoulli: values outside [0, 1]).</summary>
    internal void CheckLikelihoodDomain(Tensor target)
    {
        if (Spec.Likelihood != ReconstructionLikelihood.Bernoulli)
        {
            return;
        }

        using var range = torch.stack([target.min(), target.max()]);
        var bounds = range.data<float>().ToArray();
        if (bounds[0] < 0 || bounds[1] > 1)
        {
            throw new ArgumentException(
                "The Bernoulli likelihood needs data in [0, 1]; this batch has values outside it. Scale the data with a MinMaxScaler or use the Gaussian likelihood.");
        }
    }

    /// <summary>
    /// −log p(x | decoder output) per sample; the Gaussian's constant only when asked for. Callers check
    /// the target with <see cref="CheckLikelihoodDomain"/> once, before repeating it.
    /// </summary>
    internal Tensor NegativeLogLikelihood(Tensor output, Tensor target, bool withConstant)
    {
        switch (Spec.Likelihood)
        {
            case ReconstructionLikelihood.Gaussian:
                // Variance ½: −log N(x; x̂, ½I) = ‖x − x̂‖² + (d/2)·log π.
                var squared = (ApplyOutput(output) - target).square().flatten(1).sum(1);
                return withConstant ? squared + (0.5 * FeatureCount * Math.Log(Math.PI)) : squared;
            case ReconstructionLikelihood.Bernoulli:
                return nn.functional.binary_cross_entropy_with_logits(output, target, reduction: nn.Reduction.None).flatten(1).sum(1);
            default:
                throw new NotSupportedException($"Likelihood {Spec.Likelihood} is not supported.");
        }
    }

    private Tensor ScaleIn(Tensor x) => scaler is null ? x : scaler.Transform(x);

    private Tensor ScaleOut(Tensor x) => scaler is null ? x : scaler.InverseTransform(x);

    private void CheckBatchShape(Tensor batch)
    {
        if (batch.dim() != InputShape.Count + 1 || !batch.shape.Skip(1).Select(d => (int)d).SequenceEqual(InputShape))
        {
            throw new ArgumentException(
                $"Expected a batch shaped [batch, {string.Join(", ", InputShape)}] but got {Shapes.Format(batch.shape)}.");
        }
    }

    private void CheckSampleShape(IReadOnlyList<long> sampleShape)
    {
        if (!Shapes.Fits(sampleShape, InputShape))
        {
            throw new ArgumentException(
                $"The data has samples shaped {Shapes.Format(sampleShape)} ({sampleShape.Aggregate(1L, (a, b) => a * b)} features) but the model takes {Shapes.Format(InputShape)} ({FeatureCount} features).");
        }
    }

    private float[,] MapRows(float[,] rows, int inputWidth, int outputWidth, Func<Tensor, Tensor> map)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var count = rows.GetLength(0);
        if (rows.GetLength(1) != inputWidth)
        {
            throw new ArgumentException($"Expected rows of {inputWidth} values but got {rows.GetLength(1)}.", nameof(rows));
        }

        var inputShape = inputWidth == FeatureCount ? InputShape.Select(d => (long)d).ToArray() : [inputWidth];
        var result = new float[count, outputWidth];
        RunInference(() =>
        {
            using var scope = torch.NewDisposeScope();
            // torch.tensor wraps the managed array, whose alignment differs from libtorch's own
            // allocations; SGEMM results depend on alignment, so copy into libtorch memory to keep
            // outputs bit-identical from call to call.
            var all = torch.tensor(rows).clone();
            InputValidation.ThrowIfNotFinite(all, nameof(rows));
            foreach (var range in Batches(count))
            {
                using var batchScope = torch.NewDisposeScope();
                var x = all.narrow(0, range.Start, range.Length).view([range.Length, .. inputShape]);
                CopyRows(map(x), result, range.Start, outputWidth);
            }
        });
        return result;
    }

    private float[,] MapDataset(InMemoryDataset data, int outputWidth, Func<Tensor, Tensor> map, int? maxRows = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckSampleShape(data.SampleShape);
        var rows = Math.Min(data.Count, maxRows ?? int.MaxValue);
        var result = new float[rows, outputWidth];
        var inputShape = InputShape.Select(d => (long)d).ToArray();
        RunInference(() =>
        {
            foreach (var range in Batches(rows))
            {
                using var scope = torch.NewDisposeScope();
                var x = data.Features.narrow(0, range.Start, range.Length).view([range.Length, .. inputShape]);
                CopyRows(map(x), result, range.Start, outputWidth);
            }
        });
        return result;
    }

    private static void CopyRows(Tensor output, float[,] result, int startRow, int width)
    {
        var values = output.to_type(ScalarType.Float32).contiguous();
        var destination = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        values.data<float>().CopyTo(destination.Slice(startRow * width, (int)values.numel()));
    }

    private void RunInference(Action action)
    {
        using var threads = Native.IntraOpThreads.Use(null);

        // A model in evaluation mode (as the trainer leaves it) is only read, so any number of threads
        // may run inference at once. A model in training mode is switched to evaluation mode for the
        // call and back, which must not interleave with another call.
        if (!training)
        {
            using var noGrad = torch.no_grad();
            action();
            return;
        }

        lock (modeGate)
        {
            eval();
            try
            {
                using var noGrad = torch.no_grad();
                action();
            }
            finally
            {
                train();
            }
        }
    }

    private IEnumerable<(int Start, int Length)> Batches(int count)
    {
        var size = Spec.Backbone.InferenceBatchSize;
        for (var start = 0; start < count; start += size)
        {
            yield return (start, Math.Min(size, count - start));
        }
    }
}
