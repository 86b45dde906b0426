using static TorchSharp.torch;

namespace Autoencoders.Model;

internal sealed class WeightL2Penalty(double weight) : Penalty
{
    public override Tensor Compute(PenaltyContext context)
    {
        Tensor? sum = null;
        foreach (var (name, parameter) in context.Model.named_parameters())
        {
            if (parameter.dim() >= 2 && name.EndsWith("weight", StringComparison.Ordinal))
            {
                var term = parameter.square().sum();
                sum = sum is null ? term : sum + term;
            }
        }

        return (sum ?? zeros(1).sum()) * weight;
    }
}
