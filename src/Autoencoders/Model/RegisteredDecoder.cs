using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A decoder built by a factory registered with <see cref="ModuleRegistry"/>: the user's module, checked
/// by a trial batch when the model is built to reproduce the input's shape (a flat [batch, features]
/// output is reshaped to it).
/// </summary>
internal sealed class RegisteredDecoder : Decoder
{
    private readonly nn.Module<Tensor, Tensor> module;
    private readonly long[]? reshape;

    public RegisteredDecoder(ModuleSpec spec, ModuleContext context)
        : base(spec.Name)
    {
        module = Devices.Place(ModuleRegistry.Create(ModuleRole.Decoder, spec, context), context.Device);
        if (context.Device.type == DeviceType.META)
        {
            // A shape-only build (see TrialBatch): the decoder's output does not change the state's
            // shapes, and the build that gets weights checks it.
            RegisterComponents();
            return;
        }

        var shape = TrialBatch.OutputShape(module, context.Device, [context.LatentSize], $"the decoder '{spec.Name}'");
        var expected = Shapes.WithBatch(TrialBatch.Size, context.InputShape);
        if (!shape.SequenceEqual(expected))
        {
            if (!shape.SequenceEqual([TrialBatch.Size, context.FeatureCount]))
            {
                throw new ArgumentException(
                    $"The decoder '{spec.Name}' returned a tensor shaped {Shapes.Format(shape)} for a batch of {TrialBatch.Size} codes of {context.LatentSize} values; " +
                    $"a decoder must reproduce the input's shape, [batch, {string.Join(", ", context.InputShape)}] (or [batch, {context.FeatureCount}], which is reshaped).");
            }

            reshape = context.InputShape.Select(d => (long)d).ToArray();
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var output = module.forward(input);
        return reshape is null ? output : output.view([output.shape[0], .. reshape]);
    }
}
