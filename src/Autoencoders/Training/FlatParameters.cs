using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// A model's parameters moved into one contiguous buffer, and, once the first backward pass has made them,
/// their gradients into another: each parameter (and each gradient) becomes a view of its slice, so that an
/// elementwise optimiser update over every parameter is a few kernels over two buffers instead of a few
/// per parameter.
/// </summary>
/// <remarks>
/// The parameters stay the same objects (their storage is replaced with <c>set_</c>), so the model, its
/// state dict and anything holding a parameter see no difference. Gradients bound to the buffer are
/// accumulated in place by autograd after <see cref="ZeroGradients"/>, as after TorchSharp's own
/// <c>zero_grad</c>, which zeroes gradients rather than dropping them.
/// </remarks>
internal sealed class FlatParameters : IDisposable
{
    /// <summary>libtorch's CPU allocator aligns tensors to 64 bytes.</summary>
    private const int Alignment = 64;

    private readonly Parameter[] parameters;
    private readonly long[] offsets;
    private Tensor? gradients;

    private FlatParameters(Parameter[] parameters, Tensor values, long[] offsets)
    {
        this.parameters = parameters;
        Values = values;
        this.offsets = offsets;
    }

    /// <summary>Every parameter's values, one after the other in the order given, each starting 64-byte aligned.</summary>
    public Tensor Values { get; }

    /// <summary>Every parameter's gradient, in the same layout; null until <see cref="TryBindGradients"/> succeeds.</summary>
    public Tensor? Gradients => gradients;

    /// <summary>
    /// Moves <paramref name="parameters"/> into one buffer, or returns null when they cannot share one
    /// (different types or devices, a parameter listed twice, as tied weights of a custom module would be,
    /// or none at all).
    /// </summary>
    public static FlatParameters? TryCreate(Parameter[] parameters)
    {
        if (parameters.Length == 0
            || parameters.Any(p => p.dtype != parameters[0].dtype || !SameDevice(p, parameters[0]))
            || parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != parameters.Length)
        {
            return null;
        }

        // Each slice starts on a 64-byte boundary, as libtorch aligns every tensor it allocates: matrix
        // products read their operands in an order that can depend on alignment, and an unaligned weight
        // would change the rounding of the forward and backward passes. The gaps stay zero.
        var alignment = Math.Max(1, Alignment / parameters[0].ElementSize);
        var offsets = new long[parameters.Length + 1];
        for (var i = 0; i < parameters.Length; i++)
        {
            offsets[i + 1] = (offsets[i] + parameters[i].numel() + alignment - 1) / alignment * alignment;
        }

        using var noGrad = torch.no_grad();
        var values = torch.zeros(offsets[^1], dtype: parameters[0].dtype, device: parameters[0].device).DetachFromDisposeScope();
        for (var i = 0; i < parameters.Length; i++)
        {
            using var slice = Slice(values, offsets, i, parameters[i]);
            slice.copy_(parameters[i]);
            parameters[i].set_(slice);
        }

        return new FlatParameters(parameters, values, offsets);
    }

    /// <summary>
    /// After a backward pass, moves every gradient into one buffer and makes each parameter's gradient a
    /// view of it; false (and nothing changed) when some parameter has no gradient.
    /// </summary>
    public bool TryBindGradients()
    {
        if (gradients is not null)
        {
            return true;
        }

        var current = parameters.Select(p => p.grad).ToArray();
        try
        {
            if (current.Any(g => g is null || g.dtype != Values.dtype || !SameDevice(g, Values)))
            {
                return false;
            }

            using var noGrad = torch.no_grad();
            var buffer = torch.zeros_like(Values).DetachFromDisposeScope();
            for (var i = 0; i < parameters.Length; i++)
            {
                var slice = Slice(buffer, offsets, i, parameters[i]);
                slice.copy_(current[i]!);
                parameters[i].grad = slice;
                slice.Dispose();
            }

            gradients = buffer;
            return true;
        }
        finally
        {
            foreach (var g in current)
            {
                g?.Dispose();
            }
        }
    }

    /// <summary>Zeroes every gradient (one kernel), as TorchSharp's <c>zero_grad</c> does parameter by parameter.</summary>
    public void ZeroGradients()
    {
        if (gradients is not null)
        {
            gradients.zero_();
        }
        else
        {
            foreach (var p in parameters)
            {
                using var g = p.grad;
                g?.zero_();
            }
        }
    }

    /// <summary>Parameter <paramref name="index"/>'s slice of a buffer laid out like <see cref="Values"/>, shaped like the parameter.</summary>
    public Tensor Slice(Tensor buffer, int index) => Slice(buffer, offsets, index, parameters[index]);

    public void Dispose()
    {
        Values.Dispose();
        gradients?.Dispose();
    }

    private static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    private static Tensor Slice(Tensor buffer, long[] offsets, int index, Parameter parameter)
    {
        using var flat = buffer.narrow(0, offsets[index], parameter.numel());
        return flat.view(parameter.shape);
    }
}
