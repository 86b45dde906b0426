using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// An encoder built by a factory registered with <see cref="ModuleRegistry"/>: the user's module, its
/// output width found by a trial batch when the model is built, and its output flattened to
/// [batch, features] when it has a larger rank.
/// </summary>
internal sealed class RegisteredEncoder : Encoder
{
    private readonly nn.Module<Tensor, Tensor> module;
    private readonly string registeredName;
    private readonly IReadOnlyList<int> inputShape;
    private readonly Device device;
    private readonly int outputSize;
    private readonly bool flatten;

    public RegisteredEncoder(ModuleSpec spec, ModuleContext context)
        : base(spec.Name)
    {
        module = Devices.Place(ModuleRegistry.Create(ModuleRole.Encoder, spec, context), context.Device);
        registeredName = spec.Name;
        inputShape = context.InputShape;
        device = context.Device;
        var what = $"the encoder '{spec.Name}'";
        var shape = TrialBatch.OutputShape(
            module, device, context.InputShape, what, () => ModuleRegistry.Create(ModuleRole.Encoder, spec, context with { Device = CPU }));
        if (shape.Length < 2 || shape[0] != TrialBatch.Size || shape.Skip(1).Any(d => d < 1))
        {
            throw new ArgumentException(
                $"The encoder '{spec.Name}' returned a tensor shaped {Shapes.Format(shape)} for a batch of {TrialBatch.Size} samples shaped {Shapes.Format(context.InputShape)}; " +
                "an encoder must return one row of features per sample, [batch, features] (a larger rank is flattened).");
        }

        outputSize = checked((int)Shapes.Product(shape.AsSpan(1)));
        flatten = shape.Length > 2;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => outputSize;

    /// <summary>
    /// Throws unless the module's output depends differentiably on its input, as a penalty on the
    /// encoder's Jacobian (<paramref name="penalty"/>) needs; tried on a batch of zero samples.
    /// </summary>
    public void RequireInputGradient(string penalty)
    {
        if (device.type == DeviceType.META)
        {
            return; // a shape-only build; the build that gets weights checks
        }

        using var scope = torch.NewDisposeScope();
        using var gradients = torch.enable_grad();
        var wasTraining = module.training;
        module.eval();
        try
        {
            var input = TrialBatch.Zeros(inputShape, device).requires_grad_(true);
            if (!module.forward(input).requires_grad)
            {
                throw new ArgumentException(
                    $"The {penalty} penalty differentiates the code with respect to the input, but the encoder '{registeredName}' returns values that do not depend " +
                    "differentiably on its input (detached, or computed by integer or comparison operations). Remove the penalty or keep the encoder differentiable.");
            }
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var features = module.forward(input);
        return flatten ? features.flatten(1) : features;
    }
}
