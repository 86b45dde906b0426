using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

internal sealed class WeightL2Penalty(double weight) : Penalty
{
    public override Tensor Compute(PenaltyContext context)
    {
        Tensor? sum = null;
        foreach (var parameter in context.Model.parameters())
        {
            // Weight matrices and kernels are the parameters of rank two or more, whatever a module
            // names them (a GRU's are weight_ih_l0, ...); biases and normalisation parameters are vectors.
            if (parameter.dim() >= 2)
            {
                var term = parameter.Square().sum();
                sum = sum is null ? term : sum.Add(term);
            }
        }

        return (sum ?? zeros(1, device: context.Input.device).sum()).Mul(weight);
    }
}
