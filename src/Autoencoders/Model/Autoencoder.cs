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
/// <para>A spec with a Gaussian bottleneck builds a <see cref="VariationalAutoencoder"/>, which adds
/// generation and likelihood estimates.</para>
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
public partial class Autoencoder : nn.Module<Tensor, Tensor>
{
    private readonly Encoder encoder;
    private readonly Bottleneck bottleneck;
    private readonly Decoder decoder;
    private readonly Penalty[] penalties;
    private readonly bool needsInputGradient;
    private readonly ArrayInference arrays;
    private Scaler? scaler;

    /// <summary>Builds the modules a spec describes, their tensors created on <paramref name="device"/> (the CPU, or meta).</summary>
    private protected Autoencoder(AutoencoderSpec spec, Device device)
        : base(nameof(Autoencoder))
    {
        Spec = spec;
        encoder = spec.Backbone.CreateEncoder(spec.InputShape, spec.Bottleneck.Latent, device);
        bottleneck = spec.Bottleneck.Create(encoder.OutputSize, device);
        decoder = spec.Backbone.CreateDecoder(bottleneck.LatentSize, spec.InputShape, device);
        penalties = spec.Penalties.Select(p => p.Create(spec)).ToArray();
        needsInputGradient = penalties.Any(p => p.NeedsInputGradient);
        if (needsInputGradient && encoder is RegisteredEncoder registered)
        {
            registered.RequireInputGradient(spec.Penalties[Array.FindIndex(penalties, p => p.NeedsInputGradient)].Name);
        }

        Likelihood = Likelihood.For(spec);
        arrays = new ArrayInference(this);

        // Registered by hand, not by RegisterComponents: its reflection does not see a base class's
        // private fields from a subclass (VariationalAutoencoder).
        register_module(nameof(encoder), encoder);
        register_module(nameof(bottleneck), bottleneck);
        register_module(nameof(decoder), decoder);
    }

    /// <summary>The spec this model was built from.</summary>
    public AutoencoderSpec Spec { get; }

    /// <summary>
    /// The device the model's weights are on, where it computes: the CPU, a CUDA device, or the meta
    /// device for a structure-only model. Batches follow it; the array methods still take and return
    /// managed arrays.
    /// </summary>
    public Device Device => parameters().First().device;

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

    /// <summary>
    /// Moves the model's weights to <paramref name="device"/>, in place, and returns the model (as
    /// <c>model.to(device)</c> does in PyTorch): every later call computes there. Not while the model is
    /// being trained or used on another thread; a trainer's optimiser holds the weights of the device it
    /// started on, so move a model between runs.
    /// </summary>
    /// <param name="device">The CPU (<c>torch.CPU</c>) or a CUDA device (<c>torch.CUDA</c>, <c>new Device("cuda:1")</c>).</param>
    /// <exception cref="ArgumentException">The device is the meta device, or one of a type the library does not run on.</exception>
    /// <exception cref="InvalidOperationException">
    /// The model is on the meta device (it has no weights to move), or CUDA was requested and this process
    /// has no CUDA backend (reference TorchSharp-cuda-linux or TorchSharp-cuda-windows) or no such device.
    /// </exception>
    public Autoencoder To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        ThrowIfOnMeta("be moved");
        return Devices.Place(this, Devices.Check(device, allowMeta: false, nameof(device)));
    }

    /// <summary>Throws when the model is a structure-only one, on the meta device, which cannot <paramref name="action"/>.</summary>
    internal void ThrowIfOnMeta(string action)
    {
        if (Device.type == DeviceType.META)
        {
            throw new InvalidOperationException(
                $"This model is on the meta device, which holds the shapes of its weights but no values, so it cannot {action}. " +
                "Build it on the CPU or a CUDA device (spec.Build(seed, device)) for that.");
        }
    }

    /// <summary>Whether the training loss draws random numbers (input corruption, a stochastic bottleneck).</summary>
    internal bool DrawsNoise => Spec.Corruption is not null || bottleneck.IsStochastic;

    /// <summary>The reconstruction likelihood the loss and the likelihood estimates use.</summary>
    internal Likelihood Likelihood { get; }

    /// <summary>The array methods' runner, for subclasses that add array methods of their own.</summary>
    private protected ArrayInference Arrays => arrays;

    /// <summary>The deterministic code of a batch of (scaled) inputs, [batch, latent].</summary>
    public Tensor encode(Tensor input) => bottleneck.forward(encoder.forward(input));

    /// <summary>The reconstruction, in model space, of a batch of codes.</summary>
    public Tensor decode(Tensor code) => Spec.Output.Apply(decoder.forward(code));

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
        InputValidator.ThrowIfNotBatchOf(batch, InputShape, nameof(batch));
        context ??= LossContext.Default;
        using var gradientMode = needsInputGradient ? torch.enable_grad() : null;
        var target = batch;
        Likelihood.CheckDomain(target);
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
        terms.Add(LossTerms.Reconstruction, Likelihood.Loss(output, target));
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
    public float[,] Encode(float[,] rows) => arrays.Encode(rows);

    /// <summary>Encodes every sample of a source (in memory or streamed) to codes, one row per sample.</summary>
    public float[,] Encode(DataSource data) => arrays.Encode(data);

    /// <summary>Decodes codes to rows of features in the data's units.</summary>
    public float[,] Decode(float[,] codes) => arrays.Decode(codes);

    /// <summary>Reconstructs rows of features (in the data's units) through the code.</summary>
    public float[,] Reconstruct(float[,] rows) => arrays.Reconstruct(rows);

    /// <summary>Reconstructs every sample of a source, one flattened row per sample, in the data's units.</summary>
    public float[,] Reconstruct(DataSource data) => arrays.Reconstruct(data);

    /// <summary>
    /// The mean squared reconstruction error per feature over a source, in the data's units
    /// (the figure usually quoted as "MSE per pixel"); a stream is read once.
    /// </summary>
    public double MeanSquaredError(DataSource data) => arrays.MeanSquaredError(data);

    /// <summary>
    /// Decodes <paramref name="steps"/> codes evenly spaced on the line between the codes of two inputs
    /// (both ends included), in the data's units: a morph from <paramref name="from"/> to <paramref name="to"/>.
    /// </summary>
    public float[,] Interpolate(float[] from, float[] to, int steps)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var rows = new float[2, FeatureCount];
        if (from.Length != FeatureCount || to.Length != FeatureCount)
        {
            throw new ArgumentException($"Both inputs must have {FeatureCount} values; they have {from.Length} and {to.Length}.");
        }

        Buffer.BlockCopy(from, 0, rows, 0, FeatureCount * sizeof(float));
        Buffer.BlockCopy(to, 0, rows, FeatureCount * sizeof(float), FeatureCount * sizeof(float));
        var ends = Encode(rows);
        var codes = new float[steps, LatentSize];
        for (var s = 0; s < steps; s++)
        {
            var t = s / (double)(steps - 1);
            for (var j = 0; j < LatentSize; j++)
            {
                codes[s, j] = (float)(((1 - t) * ends[0, j]) + (t * ends[1, j]));
            }
        }

        return Decode(codes);
    }

    /// <summary>
    /// The model a spec describes, its tensors created on <paramref name="device"/> (the CPU, or meta): a
    /// <see cref="VariationalAutoencoder"/> for a Gaussian bottleneck.
    /// </summary>
    internal static Autoencoder Create(AutoencoderSpec spec, Device device) =>
        spec.Bottleneck is GaussianBottleneckSpec ? new VariationalAutoencoder(spec, device) : new Autoencoder(spec, device);
}
