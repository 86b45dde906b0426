using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A backbone with your own encoder, your own decoder, or both: modules registered with
/// <see cref="ModuleRegistry"/> and named by a <see cref="ModuleSpec"/>. A side you do not replace is built
/// by <see cref="BuiltIn"/>. Every other axis (bottleneck, corruption, penalties, likelihood) combines with
/// it as with any backbone. Usually made by <see cref="AutoencoderSpec.Custom"/>,
/// <see cref="AutoencoderSpec.WithEncoder"/> or <see cref="AutoencoderSpec.WithDecoder"/>.
/// </summary>
/// <example>
/// <code>
/// // your encoder, the dense decoder of the preset, a Gaussian bottleneck:
/// var spec = AutoencoderSpec.Dense(784, 16, [256]).WithEncoder(ModuleSpec.Create("ResidualMlp", parameters)).WithGaussianBottleneck();
/// // JSON: "backbone": {"type": "custom", "encoder": {"name": "ResidualMlp", ...}, "decoder": null, "builtIn": {"type": "dense", ...}}
/// </code>
/// </example>
public sealed record CustomBackboneSpec : BackboneSpec
{
    /// <summary>The registered encoder; null for <see cref="BuiltIn"/>'s.</summary>
    public ModuleSpec? Encoder { get; init; }

    /// <summary>The registered decoder; null for <see cref="BuiltIn"/>'s.</summary>
    public ModuleSpec? Decoder { get; init; }

    /// <summary>The built-in backbone that builds the side not replaced; null when both sides are registered modules.</summary>
    public BackboneSpec? BuiltIn { get; init; }

    internal override int InferenceBatchSize => BuiltIn?.InferenceBatchSize ?? base.InferenceBatchSize;

    /// <summary>
    /// <paramref name="backbone"/> with the given side(s) replaced: a built-in backbone becomes the
    /// <see cref="BuiltIn"/> of the result, and is dropped once both sides are replaced.
    /// </summary>
    internal static CustomBackboneSpec Replace(BackboneSpec backbone, ModuleSpec? encoder = null, ModuleSpec? decoder = null)
    {
        var current = backbone as CustomBackboneSpec ?? new CustomBackboneSpec { BuiltIn = backbone };
        var result = current with { Encoder = encoder ?? current.Encoder, Decoder = decoder ?? current.Decoder };
        return result.Encoder is not null && result.Decoder is not null ? result with { BuiltIn = null } : result;
    }

    internal override Model.Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize, Device device) =>
        Encoder is { } encoder
            ? new RegisteredEncoder(encoder, new ModuleContext(inputShape, latentSize) { Device = device })
            : BuiltIn!.CreateEncoder(inputShape, latentSize, device);

    internal override Model.Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape, Device device) =>
        Decoder is { } decoder
            ? new RegisteredDecoder(decoder, new ModuleContext(inputShape, latentSize) { Device = device })
            : BuiltIn!.CreateDecoder(latentSize, inputShape, device);

    internal override void Validate(IReadOnlyList<int> inputShape)
    {
        if (Encoder is null && Decoder is null)
        {
            throw new ArgumentException("A custom backbone replaces the encoder, the decoder or both; this one names neither. Use a built-in backbone instead.");
        }

        if (Encoder is not null && Decoder is not null && BuiltIn is not null)
        {
            throw new ArgumentException("A custom backbone that replaces both the encoder and the decoder has no side left for its built-in backbone; remove BuiltIn.");
        }

        if ((Encoder is null || Decoder is null) && BuiltIn is null)
        {
            throw new ArgumentException(
                $"A custom backbone that replaces only the {(Encoder is null ? "decoder" : "encoder")} needs a built-in backbone for the {(Encoder is null ? "encoder" : "decoder")} (BuiltIn).");
        }

        if (BuiltIn is CustomBackboneSpec)
        {
            throw new ArgumentException("The built-in backbone of a custom backbone must be a built-in one (dense, convolutional, ...), not another custom backbone.");
        }

        BuiltIn?.Validate(inputShape);
        if (Encoder is not null)
        {
            ModuleRegistry.Validate(ModuleRole.Encoder, Encoder);
        }

        if (Decoder is not null)
        {
            ModuleRegistry.Validate(ModuleRole.Decoder, Decoder);
        }
    }
}
