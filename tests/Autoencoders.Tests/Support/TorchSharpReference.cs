using System.Runtime;

namespace Autoencoders.Tests.Support;

/// <summary>
/// Runs TorchSharp's own code that passes temporary Scalars (its operators, an optimiser's <c>step</c>, a
/// module's <c>forward</c>) as the reference a test compares the library with, with the collector held off:
/// a temporary can be finalised only after a collection, and none happens inside (see
/// <c>Native/TensorMath.cs</c>). A test class that does so carries <see cref="ComparesWithTorchSharpAttribute"/>.
/// </summary>
internal static class TorchSharpReference
{
    // Far more than the few wrappers a reference step allocates; small enough for any GC configuration.
    private const long Budget = 16 * 1024 * 1024;

    public static T Run<T>(Func<T> reference)
    {
        if (!GC.TryStartNoGCRegion(Budget))
        {
            throw new InvalidOperationException("Could not hold the collector off for the TorchSharp reference.");
        }

        try
        {
            return reference();
        }
        finally
        {
            // Throws if the reference allocated beyond the budget and a collection ran after all.
            if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            {
                throw new InvalidOperationException("A collection ran during the TorchSharp reference: it allocated more than the budget.");
            }

            GC.EndNoGCRegion();
        }
    }

    public static void Run(Action reference) => Run<object?>(() =>
    {
        reference();
        return null;
    });
}
