using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// One update of the trainer's optimiser: the arithmetic of TorchSharp's Adam, AdamW and SGD <c>step</c>,
/// operation for operation and with the same numbers, so the weights come out bit-identical. TorchSharp's own
/// step passes every hyper-parameter (β₁, 1 − β₁, ε, the step size, …) as a temporary Scalar that the collector
/// may free while libtorch still reads it (see <see cref="TensorMath"/>); here each Scalar is held for its call.
/// </summary>
/// <remarks>
/// The TorchSharp optimiser stays the owner of everything else: its parameter groups hold the learning rate
/// (which the schedule changes), its options and per-parameter state are what a checkpoint saves and restores.
/// Never call its <c>step</c>.
/// </remarks>
internal static class OptimizerStep
{
    /// <summary>Updates every parameter of <paramref name="optimizer"/> that has a gradient.</summary>
    /// <exception cref="NotSupportedException"><paramref name="optimizer"/> is not TorchSharp's Adam, AdamW or SGD.</exception>
    public static void Run(optim.Optimizer optimizer)
    {
        var helper = optimizer as OptimizerHelper
            ?? throw new NotSupportedException($"The trainer steps TorchSharp's Adam, AdamW and SGD; not {optimizer.GetType().Name}.");
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var states = helper.state_dict().State;
        var index = 0;
        foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
        {
            foreach (var parameter in group.Parameters)
            {
                var state = states[index++];
                if (parameter.grad is not { } grad)
                {
                    continue;
                }

                switch (optimizer)
                {
                    case Adam:
                        StepAdam(parameter, grad, (Adam.Options)group.Options, (Adam.State)state);
                        break;
                    case AdamW:
                        StepAdamW(parameter, grad, (AdamW.Options)group.Options, (AdamW.State)state);
                        break;
                    case SGD:
                        StepSgd(parameter, grad, (SGD.Options)group.Options, (SGD.State)state);
                        break;
                    default:
                        throw new NotSupportedException($"The trainer steps TorchSharp's Adam, AdamW and SGD; not {optimizer.GetType().Name}.");
                }
            }
        }
    }

    private static void StepAdam(Parameter parameter, Tensor grad, Adam.Options options, Adam.State state)
    {
        var (beta1, beta2, weightDecay, eps, lr) = (options.beta1!.Value, options.beta2!.Value, options.weight_decay!.Value, options.eps!.Value, options.LearningRate!.Value);
        if (options.maximize!.Value)
        {
            grad = -grad;
        }

        state.step++;
        var biasCorrection1 = 1.0 - Math.Pow(beta1, state.step);
        var biasCorrection2 = 1.0 - Math.Pow(beta2, state.step);
        if (weightDecay != 0.0)
        {
            grad = grad.Add(parameter, weightDecay);
        }

        state.exp_avg.MulInPlace(beta1).AddInPlace(grad, 1.0 - beta1);
        state.exp_avg_sq.MulInPlace(beta2).AddcmulInPlace(grad, grad.conj(), 1.0 - beta2);
        var denominator = Denominator(options.amsgrad!.Value, ref state.max_exp_avg_sq, state.exp_avg_sq, biasCorrection2, eps);
        parameter.AddcdivInPlace(state.exp_avg, denominator, 0.0 - (lr / biasCorrection1));
    }

    private static void StepAdamW(Parameter parameter, Tensor grad, AdamW.Options options, AdamW.State state)
    {
        var (beta1, beta2, weightDecay, eps, lr) = (options.beta1!.Value, options.beta2!.Value, options.weight_decay!.Value, options.eps!.Value, options.LearningRate!.Value);
        if (options.maximize!.Value)
        {
            grad = -grad;
        }

        state.step++;
        parameter.MulInPlace(1.0 - (lr * weightDecay));
        var biasCorrection1 = 1.0 - Math.Pow(beta1, state.step);
        var biasCorrection2 = 1.0 - Math.Pow(beta2, state.step);
        state.exp_avg.MulInPlace(beta1).AddInPlace(grad, 1.0 - beta1);
        state.exp_avg_sq.MulInPlace(beta2).AddcmulInPlace(grad, grad, 1.0 - beta2);
        var denominator = Denominator(options.amsgrad!.Value, ref state.max_exp_avg_sq, state.exp_avg_sq, biasCorrection2, eps);
        parameter.AddcdivInPlace(state.exp_avg, denominator, 0.0 - (lr / biasCorrection1));
    }

    /// <summary>√v̂ + ε, where v̂ is the second moment (or its running maximum, for AMSGrad) over its bias correction.</summary>
    private static Tensor Denominator(bool amsgrad, ref Tensor maxSecondMoment, Tensor secondMoment, double biasCorrection2, double eps)
    {
        if (amsgrad)
        {
            var previous = maxSecondMoment;
            maxSecondMoment = torch.maximum(previous, secondMoment).DetachFromDisposeScope();
            previous.Dispose();
            secondMoment = maxSecondMoment;
        }

        return secondMoment.sqrt().Div(Math.Sqrt(biasCorrection2)).AddInPlace(eps);
    }

    private static void StepSgd(Parameter parameter, Tensor grad, SGD.Options options, SGD.State state)
    {
        var (momentum, dampening, weightDecay, nesterov, lr) = (options.momentum!.Value, options.dampening!.Value, options.weight_decay!.Value, options.nesterov!.Value, options.LearningRate!.Value);
        if (weightDecay != 0.0)
        {
            grad = grad.Add(parameter, weightDecay);
        }

        if (momentum != 0.0)
        {
            var buffer = state.momentum_buffer;
            if (buffer is null)
            {
                buffer = state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
            }
            else
            {
                buffer.MulInPlace(momentum).AddInPlace(grad, 1.0 - dampening);
            }

            grad = nesterov ? grad.Add(buffer, momentum) : buffer;
        }

        parameter.AddInPlace(grad, options.maximize!.Value ? lr : 0.0 - lr);
    }
}
