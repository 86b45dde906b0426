using System.Text.Json;
using System.Text.Json.Serialization;
using Autoencoders.Data;
using Autoencoders.Native;

namespace Autoencoders.Model;

/// <summary>
/// The complete, serialisable description of an autoencoder: input shape, backbone, bottleneck,
/// output activation and likelihood. A spec plus a seed rebuilds the identical module.
/// </summary>
/// <example>
/// <code>
/// var spec = AutoencoderSpec.Dense(inputSize: 784, latent: 32, hidden: [512, 128], output: OutputActivation.Sigmoid);
/// using var model = spec.Build(seed: 42);
/// string json = spec.ToJson();
/// var again = AutoencoderSpec.FromJson(json);   // equal to spec
/// </code>
/// </example>
public sealed record AutoencoderSpec
{
    private static readonly object SeedLock = new();

    /// <summary>How specs, and the parameters of registered modules inside them, are written and read.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// The shape of one sample, without the batch dimension: [features], [channels, height, width] for
    /// images, or [channels, length] for sequences (one row per channel, one column per time step).
    /// </summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    /// <summary>The encoder/decoder family, built in or your own modules.</summary>
    public required BackboneSpec Backbone { get; init; }

    /// <summary>How the encoder's features become the code.</summary>
    public required BottleneckSpec Bottleneck { get; init; }

    /// <summary>The map from the decoder's output to the reconstruction.</summary>
    public OutputActivation Output { get; init; } = OutputActivation.Identity;

    /// <summary>The likelihood the reconstruction term assumes.</summary>
    public ReconstructionLikelihood Likelihood { get; init; } = ReconstructionLikelihood.Gaussian;

    /// <summary>Noise applied to the input in training (a denoising autoencoder); null for none.</summary>
    public CorruptionSpec? Corruption { get; init; }

    /// <summary>Extra loss terms (sparsity, contraction, weight penalties); empty for none.</summary>
    public IReadOnlyList<PenaltySpec> Penalties { get; init; } = [];

    /// <summary>The number of input features (the product of <see cref="InputShape"/>).</summary>
    [JsonIgnore]
    public int FeatureCount => Shapes.Product(InputShape);

    /// <summary>
    /// A vanilla dense autoencoder: input → hidden layers → code → mirrored hidden layers → output.
    /// </summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="hidden">Encoder hidden widths, input side first (the decoder mirrors them).</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="output">The output activation: sigmoid for data in [0, 1].</param>
    public static AutoencoderSpec Dense(
        int inputSize,
        int latent,
        IReadOnlyList<int> hidden,
        Activation activation = Activation.ReLU,
        OutputActivation output = OutputActivation.Identity) =>
        Dense([inputSize], latent, hidden, activation, output);

    /// <summary>A vanilla dense autoencoder for inputs of any shape (flattened inside).</summary>
    /// <param name="inputShape">The shape of one sample, e.g. [1, 28, 28].</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="hidden">Encoder hidden widths, input side first (the decoder mirrors them).</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="output">The output activation: sigmoid for data in [0, 1].</param>
    public static AutoencoderSpec Dense(
        IReadOnlyList<int> inputShape,
        int latent,
        IReadOnlyList<int> hidden,
        Activation activation = Activation.ReLU,
        OutputActivation output = OutputActivation.Identity)
    {
        var spec = new AutoencoderSpec
        {
            InputShape = inputShape.ToArray(),
            Backbone = new DenseBackboneSpec { Hidden = hidden.ToArray(), Activation = activation },
            Bottleneck = new DeterministicBottleneckSpec { Latent = latent },
            Output = output,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>
    /// The linear autoencoder: one linear map to the code and one back, no activations, MSE. Trained
    /// on centred data it learns the subspace spanned by the top principal components (see <c>Pca</c>).
    /// </summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="latent">The size of the code.</param>
    public static AutoencoderSpec Linear(int inputSize, int latent) =>
        Dense(inputSize, latent, hidden: [], Activation.Identity, OutputActivation.Identity);

    /// <summary>
    /// A convolutional autoencoder for [channels, height, width] inputs: strided convolutions, optional
    /// dense layers, a linear code, and the mirror image back to the exact input shape (transposed convolutions last).
    /// </summary>
    /// <param name="inputShape">[channels, height, width] of one sample, e.g. [1, 28, 28].</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="channels">Output channels of each convolution, input side first.</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="output">The output activation: sigmoid for images in [0, 1].</param>
    /// <param name="batchNorm">Whether to batch-normalise after each hidden convolution.</param>
    /// <param name="denseHidden">Widths of dense layers between the last feature map and the code (mirrored in
    /// the decoder), e.g. [512] as in Sainburg et al.'s conv AE; null or empty for none.</param>
    public static AutoencoderSpec Convolutional(
        IReadOnlyList<int> inputShape,
        int latent,
        IReadOnlyList<int> channels,
        Activation activation = Activation.ReLU,
        OutputActivation output = OutputActivation.Sigmoid,
        bool batchNorm = false,
        IReadOnlyList<int>? denseHidden = null)
    {
        var spec = new AutoencoderSpec
        {
            InputShape = inputShape.ToArray(),
            Backbone = new ConvolutionalBackboneSpec
            {
                Channels = channels.ToArray(),
                Activation = activation,
                BatchNorm = batchNorm,
                DenseHidden = denseHidden?.ToArray() ?? [],
            },
            Bottleneck = new DeterministicBottleneckSpec { Latent = latent },
            Output = output,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>
    /// A sparse autoencoder: a sigmoid code with Ng's KL sparsity penalty pushing each unit's mean
    /// activation to <paramref name="target"/>.
    /// </summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="latent">The size of the code (may exceed the input: sparsity is the regulariser).</param>
    /// <param name="hidden">Encoder hidden widths.</param>
    /// <param name="target">The target mean activation ρ.</param>
    /// <param name="weight">The penalty's weight λ.</param>
    public static AutoencoderSpec Sparse(int inputSize, int latent, IReadOnlyList<int> hidden, double target = 0.05, double weight = 1.0) =>
        Dense(inputSize, latent, hidden)
            .WithCodeActivation(Activation.Sigmoid)
            .WithPenalty(new KlSparsityPenaltySpec { Target = target, Weight = weight });

    /// <summary>A denoising autoencoder: trained to reconstruct clean inputs from noisy ones.</summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="hidden">Encoder hidden widths.</param>
    /// <param name="noise">The corruption; Gaussian noise with σ = 0.1 when null.</param>
    public static AutoencoderSpec Denoising(int inputSize, int latent, IReadOnlyList<int> hidden, CorruptionSpec? noise = null) =>
        Dense(inputSize, latent, hidden).WithCorruption(noise ?? new GaussianNoise());

    /// <summary>
    /// A variational autoencoder with a Bernoulli likelihood on logits (data in [0, 1], e.g. images):
    /// Gaussian posterior, standard normal prior, β-weighted KL.
    /// </summary>
    /// <param name="inputShape">The shape of one sample.</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="hidden">Encoder hidden widths.</param>
    /// <param name="beta">The weight β of the KL term.</param>
    public static AutoencoderSpec Variational(IReadOnlyList<int> inputShape, int latent, IReadOnlyList<int> hidden, double beta = 1.0) =>
        Dense(inputShape, latent, hidden, output: OutputActivation.Sigmoid)
            .WithGaussianBottleneck(beta)
            .WithLikelihood(ReconstructionLikelihood.Bernoulli);

    /// <summary>
    /// The classic contractive autoencoder (Rifai et al., 2011): one sigmoid layer as the code and the
    /// Frobenius norm of its Jacobian as a penalty (computed in closed form).
    /// </summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="weight">The penalty's weight λ.</param>
    public static AutoencoderSpec Contractive(int inputSize, int latent, double weight = 0.1) =>
        Dense(inputSize, latent, hidden: [])
            .WithCodeActivation(Activation.Sigmoid)
            .WithPenalty(new ContractivePenaltySpec { Weight = weight });

    /// <summary>
    /// A 1-D convolutional autoencoder for sequences shaped [channels, length] (one row per channel, one
    /// column per time step): strided convolutions over time, optional dense layers, a linear code, and the
    /// mirror image back to exactly the input's length, whatever it is.
    /// </summary>
    /// <param name="inputShape">[channels, length] of one sample, e.g. [1, 32] for windows of 32 steps of one sensor.</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="channels">Output channels of each convolution, input side first; each halves the length (stride 2).</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="output">The output activation: identity for standardised series, sigmoid for data in [0, 1].</param>
    /// <param name="batchNorm">Whether to batch-normalise after each hidden convolution.</param>
    /// <param name="denseHidden">Widths of dense layers between the last feature map and the code (mirrored in the decoder); null or empty for none.</param>
    /// <param name="kernel">The odd kernel size, in time steps.</param>
    /// <example><code>var spec = AutoencoderSpec.Convolutional1d([3, 64], latent: 8, channels: [32, 16]).WithCorruption(new GaussianNoise { StdDev = 0.1 });</code></example>
    public static AutoencoderSpec Convolutional1d(
        IReadOnlyList<int> inputShape,
        int latent,
        IReadOnlyList<int> channels,
        Activation activation = Activation.ReLU,
        OutputActivation output = OutputActivation.Identity,
        bool batchNorm = false,
        IReadOnlyList<int>? denseHidden = null,
        int kernel = 7) =>
        Checked(new AutoencoderSpec
        {
            InputShape = inputShape.ToArray(),
            Backbone = new Convolutional1dBackboneSpec
            {
                Channels = channels.ToArray(),
                DenseHidden = denseHidden?.ToArray() ?? [],
                Kernel = kernel,
                Activation = activation,
                BatchNorm = batchNorm,
            },
            Bottleneck = new DeterministicBottleneckSpec { Latent = latent },
            Output = output,
        });

    /// <summary>
    /// A recurrent (LSTM or GRU) autoencoder for sequences shaped [channels, length]: the encoder's last
    /// hidden state becomes the code, and the repeat-vector decoder feeds the code to recurrent layers at
    /// every time step.
    /// </summary>
    /// <param name="inputShape">[channels, length] of one sample, e.g. [1, 32] for windows of 32 steps of one sensor.</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="hidden">Hidden widths of the stacked recurrent layers, input side first (the decoder mirrors them).</param>
    /// <param name="cell">The recurrent unit.</param>
    /// <param name="output">The output activation: identity for standardised series, sigmoid for data in [0, 1].</param>
    /// <example><code>var spec = AutoencoderSpec.Recurrent([1, 32], latent: 4, hidden: [64], RecurrentCell.Gru);</code></example>
    public static AutoencoderSpec Recurrent(
        IReadOnlyList<int> inputShape,
        int latent,
        IReadOnlyList<int> hidden,
        RecurrentCell cell = RecurrentCell.Lstm,
        OutputActivation output = OutputActivation.Identity) =>
        Checked(new AutoencoderSpec
        {
            InputShape = inputShape.ToArray(),
            Backbone = new RecurrentBackboneSpec { Cell = cell, Hidden = hidden.ToArray() },
            Bottleneck = new DeterministicBottleneckSpec { Latent = latent },
            Output = output,
        });

    /// <summary>
    /// An autoencoder of your own modules: an encoder and a decoder registered with
    /// <see cref="ModuleRegistry"/>, a linear code between them. Combine it with any other axis
    /// (<see cref="WithGaussianBottleneck"/>, <see cref="WithCorruption"/>, <see cref="WithPenalty"/>, ...).
    /// </summary>
    /// <param name="inputShape">The shape of one sample, e.g. [784] or [1, 28, 28].</param>
    /// <param name="latent">The size of the code.</param>
    /// <param name="encoder">The registered encoder and its parameters.</param>
    /// <param name="decoder">The registered decoder and its parameters.</param>
    /// <param name="output">The output activation: sigmoid for data in [0, 1].</param>
    /// <exception cref="ArgumentException">A module is not registered, or its parameters do not fit its factory.</exception>
    public static AutoencoderSpec Custom(
        IReadOnlyList<int> inputShape,
        int latent,
        ModuleSpec encoder,
        ModuleSpec decoder,
        OutputActivation output = OutputActivation.Identity)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        return Checked(new AutoencoderSpec
        {
            InputShape = inputShape.ToArray(),
            Backbone = new CustomBackboneSpec { Encoder = encoder, Decoder = decoder },
            Bottleneck = new DeterministicBottleneckSpec { Latent = latent },
            Output = output,
        });
    }

    /// <summary>This spec with your own encoder, registered with <see cref="ModuleRegistry"/>; the decoder stays as it is.</summary>
    /// <exception cref="ArgumentException">The module is not registered, or its parameters do not fit its factory.</exception>
    public AutoencoderSpec WithEncoder(ModuleSpec encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return Checked(this with { Backbone = CustomBackboneSpec.Replace(Backbone, encoder: encoder) });
    }

    /// <summary>This spec with your own decoder, registered with <see cref="ModuleRegistry"/>; the encoder stays as it is.</summary>
    /// <exception cref="ArgumentException">The module is not registered, or its parameters do not fit its factory.</exception>
    public AutoencoderSpec WithDecoder(ModuleSpec decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        return Checked(this with { Backbone = CustomBackboneSpec.Replace(Backbone, decoder: decoder) });
    }

    /// <summary>This spec with a variational (Gaussian, reparameterised) bottleneck of the same latent size.</summary>
    /// <param name="beta">The weight β of the KL term.</param>
    /// <param name="warmupEpochs">Epochs over which β grows linearly to its value; 0 for none.</param>
    public AutoencoderSpec WithGaussianBottleneck(double beta = 1.0, int warmupEpochs = 0) =>
        Checked(this with { Bottleneck = new GaussianBottleneckSpec { Latent = Bottleneck.Latent, Beta = beta, WarmupEpochs = warmupEpochs } });

    /// <summary>This spec with input corruption in training (a denoising autoencoder).</summary>
    public AutoencoderSpec WithCorruption(CorruptionSpec corruption) => Checked(this with { Corruption = corruption });

    /// <summary>This spec with one more penalty term.</summary>
    public AutoencoderSpec WithPenalty(PenaltySpec penalty) => Checked(this with { Penalties = [.. Penalties, penalty] });

    /// <summary>This spec with another reconstruction likelihood (Bernoulli also sets the sigmoid output).</summary>
    public AutoencoderSpec WithLikelihood(ReconstructionLikelihood likelihood) =>
        Checked(this with { Likelihood = likelihood, Output = likelihood == ReconstructionLikelihood.Bernoulli ? OutputActivation.Sigmoid : Output });

    /// <summary>This spec with a nonlinearity on the (deterministic) code.</summary>
    /// <exception cref="InvalidOperationException">The bottleneck is not deterministic.</exception>
    public AutoencoderSpec WithCodeActivation(Activation activation) => Bottleneck is DeterministicBottleneckSpec deterministic
        ? Checked(this with { Bottleneck = deterministic with { CodeActivation = activation } })
        : throw new InvalidOperationException("Only a deterministic bottleneck has a code activation.");

    private static AutoencoderSpec Checked(AutoencoderSpec spec)
    {
        spec.Validate();
        return spec;
    }

    /// <summary>
    /// Checks the spec and throws <see cref="ArgumentException"/> naming the first problem.
    /// </summary>
    public void Validate()
    {
        if (InputShape is null || InputShape.Count == 0)
        {
            throw new ArgumentException("The input shape must have at least one dimension, e.g. [784] or [1, 28, 28].");
        }

        if (InputShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"Every input dimension must be positive; the input shape is {Shapes.Format(InputShape)}.");
        }

        if (Backbone is null)
        {
            throw new ArgumentException("The spec has no backbone.");
        }

        if (Bottleneck is null)
        {
            throw new ArgumentException("The spec has no bottleneck.");
        }

        if (!Enum.IsDefined(Output))
        {
            throw new ArgumentException($"Unknown output activation {Output}.");
        }

        if (!Enum.IsDefined(Likelihood))
        {
            throw new ArgumentException($"Unknown reconstruction likelihood {Likelihood}.");
        }

        Backbone.Validate(InputShape);
        Bottleneck.Validate();
        Corruption?.Validate();
        if (Likelihood == ReconstructionLikelihood.Bernoulli && Output != OutputActivation.Sigmoid)
        {
            throw new ArgumentException("The Bernoulli likelihood reads the decoder's output as logits, so the output activation must be Sigmoid.");
        }
        if (Penalties is null)
        {
            throw new ArgumentException("Penalties must not be null; use an empty list for none.");
        }

        var names = new HashSet<string>();
        foreach (var penalty in Penalties)
        {
            if (penalty is null)
            {
                throw new ArgumentException("The penalty list contains null.");
            }

            penalty.Validate(this);
            if (!names.Add(penalty.Name))
            {
                throw new ArgumentException($"Penalty '{penalty.Name}' is listed twice.");
            }
        }
    }

    /// <summary>
    /// Builds the module with weights initialised from <paramref name="seed"/>, on <paramref name="device"/>:
    /// the same spec and seed give bit-identical weights, and the same ones on every device (they are
    /// drawn on the CPU, then moved). The global TorchSharp random state is left as it was.
    /// </summary>
    /// <param name="seed">Seeds the initial weights.</param>
    /// <param name="device">
    /// Where the model lives and computes: the CPU when null, or a CUDA device (<c>torch.CUDA</c>,
    /// <c>"cuda:1"</c>) when the application references a CUDA backend. The meta device
    /// (<c>torch.META</c>) gives a structure-only model, with the names and shapes of its state but no
    /// values and nothing allocated: it can be inspected, not run, trained, saved or moved.
    /// </param>
    /// <exception cref="ArgumentException">The spec is invalid, or the device is of a type the library does not run on.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested and this process has no CUDA backend or no such device.</exception>
    public Autoencoder Build(long seed = 0, TorchSharp.torch.Device? device = null)
    {
        Validate();
        TorchRuntime.EnsureAvailable();
        var target = Devices.Check(device, allowMeta: true, nameof(device));
        var onMeta = target.type == TorchSharp.DeviceType.META;
        Autoencoder model;
        lock (SeedLock)
        {
            using var saved = TorchSharp.torch.random.get_rng_state();
            try
            {
                TorchSharp.torch.random.manual_seed(seed);
                model = Autoencoder.Create(this, onMeta ? TorchSharp.torch.META : TorchSharp.torch.CPU);
            }
            finally
            {
                TorchSharp.torch.random.set_rng_state(saved);
            }
        }

        if (onMeta || target.type == TorchSharp.DeviceType.CPU)
        {
            return model;
        }

        try
        {
            return model.To(target);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The spec as JSON (camelCase properties, enum names as strings, a "type" discriminator on each axis).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a spec written by <see cref="ToJson"/> and validates it.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed or describes an invalid spec.</exception>
    public static AutoencoderSpec FromJson(string json)
    {
        AutoencoderSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<AutoencoderSpec>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The autoencoder spec JSON is not valid: {e.Message}", nameof(json), e);
        }

        if (spec is null)
        {
            throw new ArgumentException("The autoencoder spec JSON is empty (null).", nameof(json));
        }

        spec.Validate();
        return spec;
    }

    /// <inheritdoc />
    public bool Equals(AutoencoderSpec? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}
