namespace Autoencoders.Model;

/// <summary>The checks the built-in backbone specs share, each failing with a message that names the bad value.</summary>
internal static class BackboneChecks
{
    /// <summary>Throws unless <paramref name="sizes"/> is non-null and every entry is positive (and, when <paramref name="required"/>, there is one at least).</summary>
    /// <param name="sizes">Layer sizes, input side first.</param>
    /// <param name="property">The spec property, as the message names it.</param>
    /// <param name="layer">One layer, as the message names it, e.g. "Convolution".</param>
    /// <param name="required">Whether an empty list is refused.</param>
    public static void PositiveSizes(IReadOnlyList<int> sizes, string property, string layer, bool required)
    {
        ArgumentNullException.ThrowIfNull(sizes, property);
        if (required && sizes.Count == 0)
        {
            throw new ArgumentException($"{property} needs at least one entry.");
        }

        for (var i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] <= 0)
            {
                throw new ArgumentException($"{layer} {i} has size {sizes[i]} ({property}); every size must be positive.");
            }
        }
    }

    /// <summary>Throws unless the kernel is odd and positive and the stride positive.</summary>
    public static void Convolution(int kernel, int stride)
    {
        if (kernel <= 0 || kernel % 2 == 0)
        {
            throw new ArgumentException($"The kernel size must be odd and positive; it is {kernel}.");
        }

        if (stride <= 0)
        {
            throw new ArgumentException($"The stride must be positive; it is {stride}.");
        }
    }

    /// <summary>Throws unless <paramref name="activation"/> is a defined value.</summary>
    public static void Defined(Activation activation)
    {
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentException($"Unknown activation {activation}.");
        }
    }
}
