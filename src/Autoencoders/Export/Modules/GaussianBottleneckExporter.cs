using Autoencoders.Model;

namespace Autoencoders.Export.Modules;

/// <summary>
/// <see cref="GaussianBottleneck"/>: the posterior mean μ, the deterministic code (no sampling: inference
/// uses the mean). <see cref="LogVariance"/> adds the clamped log-variance head when an export asks for it.
/// </summary>
internal sealed class GaussianBottleneckExporter : ModuleExporter<GaussianBottleneck>
{
    protected override string Export(GaussianBottleneck module, string input, ExportContext context)
    {
        context.RequireChildren(module, "mean", "logVariance");
        return context.Child(module, "mean", input);
    }

    /// <summary>The log-variance head, clamped to the spec's bounds as <see cref="GaussianBottleneck.Posterior"/> does.</summary>
    public static string LogVariance(GaussianBottleneck module, string input, ExportContext context)
    {
        var spec = (GaussianBottleneckSpec)context.Model.Spec.Bottleneck;
        var raw = context.Child(module, "logVariance", input);
        var graph = context.Graph;
        return context.Node("Clip", "clamp",
        [
            raw,
            graph.Constant($"{context.Path}.min_log_variance", [(float)spec.MinLogVariance], []),
            graph.Constant($"{context.Path}.max_log_variance", [(float)spec.MaxLogVariance], []),
        ]);
    }
}
