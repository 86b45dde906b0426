using Autoencoders.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Batch normalisation over the channels of [N, C] or [N, C, L] input (<c>spatialDimensions</c> 1) or of
/// [N, C, H, W] input (2): TorchSharp's <c>BatchNorm1d</c> and <c>BatchNorm2d</c>, with the same parameters,
/// buffers, names and arithmetic. TorchSharp's own forward counts the training batches with
/// <c>num_batches_tracked.add_(1)</c>, a temporary Scalar that the collector may free mid-call (see
/// <see cref="TensorMath"/>); this one counts through <see cref="TensorMath.AddInPlace(Tensor, long)"/>.
/// </summary>
internal sealed class BatchNormalization : BatchNorm
{
    private readonly int spatialDimensions;

    public BatchNormalization(long features, int spatialDimensions, Device? device)
        : base(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device, dtype: null, name: $"BatchNorm{spatialDimensions}d")
    {
        if (spatialDimensions is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(spatialDimensions), spatialDimensions, "Batch normalisation here is 1-D or 2-D.");
        }

        this.spatialDimensions = spatialDimensions;
    }

    /// <summary>TorchSharp's <c>BatchNorm.forward</c>, step for step.</summary>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var averagingFactor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.AddInPlace(1);
            averagingFactor = momentum ?? (1.0 / num_batches_tracked.item<long>());
        }

        var batchStatistics = training || (running_mean is null && running_var is null);
        var useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias, batchStatistics, averagingFactor, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        var fits = spatialDimensions == 1 ? input.ndim is 2 or 3 : input.ndim == 4;
        if (!fits)
        {
            throw new ArgumentException(spatialDimensions == 1
                ? $"expected 2D or 3D input, but got {input.ndim}D input."
                : $"expected 4D input, but got {input.ndim}D input.");
        }
    }
}
