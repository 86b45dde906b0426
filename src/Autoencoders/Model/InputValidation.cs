using static TorchSharp.torch;

namespace Autoencoders.Model;

internal static class InputValidation
{
    /// <summary>Throws naming the first non-finite value of a [rows, ...] tensor.</summary>
    public static void ThrowIfNotFinite(Tensor values, string parameterName)
    {
        using var scope = NewDisposeScope();
        var bad = values.isfinite().logical_not();
        if (!bad.any().item<bool>())
        {
            return;
        }

        var flat = bad.flatten(1);
        var index = flat.flatten().nonzero()[0, 0].item<long>();
        var width = flat.shape[1];
        var value = values.flatten()[index].item<float>();
        throw new ArgumentException(
            $"Row {index / width}, feature {index % width} is {value}. Inputs must be finite: remove or impute missing values and scale the data first.",
            parameterName);
    }
}
