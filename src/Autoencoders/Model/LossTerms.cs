using Autoencoders.Data;
using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The named, weighted scalar terms of one batch's loss: the reconstruction term and whatever the
/// bottleneck and penalties add. The trainer minimises <see cref="Total"/> and reports each term; it
/// never needs to know which variant produced them.
/// </summary>
public sealed class LossTerms
{
    /// <summary>The name of the reconstruction term.</summary>
    public const string Reconstruction = "reconstruction";

    private readonly List<KeyValuePair<string, Tensor>> terms = [];

    /// <summary>The terms in the order they were added (scalar tensors, already weighted).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Terms => terms;

    /// <summary>Adds a scalar term. Names must be unique within one loss.</summary>
    public void Add(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.numel() != 1)
        {
            throw new ArgumentException($"Loss term '{name}' must be a scalar; it has shape {Shapes.Format(value.shape)}.");
        }

        if (terms.Any(t => t.Key == name))
        {
            throw new ArgumentException($"A loss term named '{name}' was already added.");
        }

        terms.Add(new(name, value));
    }

    /// <summary>The sum of all terms: the quantity that is minimised.</summary>
    public Tensor Total
    {
        get
        {
            if (terms.Count == 0)
            {
                throw new InvalidOperationException("No loss terms were added.");
            }

            var total = terms[0].Value;
            for (var i = 1; i < terms.Count; i++)
            {
                total = total.Add(terms[i].Value);
            }

            return total;
        }
    }
}
