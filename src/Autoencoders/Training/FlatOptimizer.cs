using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// The trainer's optimiser: TorchSharp's Adam, AdamW or SGD arithmetic, run as a handful of kernels over
/// all parameters at once (<see cref="FlatParameters"/>) instead of a handful per parameter.
/// </summary>
/// <remarks>
/// <para>Each update is TorchSharp's, operation for operation and with the same scalars, applied to the
/// concatenation of the parameters: the kernels involved are elementwise and round every element the same
/// way whatever the tensor's length, so the weights come out bit-identical to TorchSharp's per-parameter
/// step (the recorded runs check it).</para>
/// <para>The TorchSharp optimiser stays the owner of the learning rate and of the state a checkpoint
/// saves: its per-parameter moment (or momentum) tensors are views of this optimiser's buffers, so its
/// own serialisation (<c>OptimizerStateBlob</c>, TorchSharp's layout) writes and reads them unchanged.
/// Whatever the flat form cannot express exactly (AMSGrad, maximize, parameters of mixed types, a parameter
/// listed twice as tied weights are, a parameter without a gradient, per-parameter step counts that differ)
/// is stepped parameter by parameter, as TorchSharp's step would be (<see cref="OptimizerStep.EachParameter"/>).
/// The arithmetic of both is <see cref="OptimizerStep"/>'s; TorchSharp's own <c>step</c> is never called, as
/// it passes temporary Scalars that the collector may free mid-call.</para>
/// </remarks>
internal sealed class FlatOptimizer : IDisposable
{
    private readonly optim.Optimizer inner;
    private readonly OptimizerKind kind;
    private readonly bool fused;
    private readonly FlatParameters? flat;
    private Tensor? first;
    private Tensor? second;

    /// <summary>The views of the buffers handed to the TorchSharp optimiser's state.</summary>
    private readonly HashSet<Tensor> bound = new(ReferenceEqualityComparer.Instance);

    private FlatOptimizer(optim.Optimizer inner, OptimizerKind kind, FlatParameters? flat, bool fused)
    {
        this.inner = inner;
        this.fused = fused;
        this.kind = kind;
        this.flat = flat;
    }

    /// <summary>The TorchSharp optimiser that holds the learning rate and the state a checkpoint saves.</summary>
    public optim.Optimizer State => inner;

    /// <summary>Creates the optimiser <paramref name="options"/> ask for over <paramref name="parameters"/>.</summary>
    public static FlatOptimizer Create(TrainerOptions options, Parameter[] parameters)
    {
        optim.Optimizer inner = options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: options.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: options.WeightDecay),
            OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
        };

        var flat = FlatParameters.TryCreate(parameters);
        var fused = options.FusedOptimizer && options.Optimizer != OptimizerKind.Sgd && FusedAdam.IsAvailable
            && flat is not null && flat.Values.dtype == ScalarType.Float32 && flat.Values.device_type == DeviceType.CPU;
        var optimizer = new FlatOptimizer(inner, options.Optimizer, flat, fused);
        optimizer.StateLoaded();
        return optimizer;
    }

    /// <summary>Zeroes the gradients.</summary>
    public void ZeroGrad()
    {
        if (flat is null)
        {
            inner.zero_grad();
        }
        else
        {
            flat.ZeroGradients();
        }
    }

    /// <summary>One update of every parameter from its gradient.</summary>
    public void Step()
    {
        if (flat is null || !flat.TryBindGradients() || !CanStepFlat())
        {
            OptimizerStep.EachParameter(inner);
            StateLoaded();
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var group = (ParamGroup)inner.ParamGroups.First();
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                StepAdam(AdamSettings.Of(group.Options), decoupled: kind == OptimizerKind.AdamW);
                break;
            default:
                StepSgd(SgdSettings.Of((SGD.Options)group.Options));
                break;
        }
    }

    /// <summary>
    /// Makes the TorchSharp optimiser's state tensors views of this optimiser's buffers again, after they
    /// were created or replaced (a checkpoint's state loaded, SGD's momentum created by a step parameter by
    /// parameter).
    /// </summary>
    public void StateLoaded()
    {
        if (flat is null)
        {
            return;
        }

        var states = ((OptimizerHelper)inner).state_dict().State;
        using var noGrad = torch.no_grad();
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                first ??= torch.zeros_like(flat.Values).DetachFromDisposeScope();
                second ??= torch.zeros_like(flat.Values).DetachFromDisposeScope();
                for (var i = 0; i < states.Count; i++)
                {
                    var (exp_avg, exp_avg_sq, _) = AdamState.Moments(states[i]);
                    AdamState.SetMoments(states[i], Rebind(exp_avg, first, i), Rebind(exp_avg_sq, second, i));
                }

                break;
            default:
                // SGD creates its momentum buffers at the first step: bind them once they exist (here, or in a loaded state).
                var present = states.Count(s => ((SGD.State)s).momentum_buffer is not null);
                if (present == states.Count || (present == 0 && first is not null))
                {
                    first ??= torch.zeros_like(flat.Values).DetachFromDisposeScope();
                    for (var i = 0; i < states.Count; i++)
                    {
                        var state = (SGD.State)states[i];
                        state.momentum_buffer = Rebind(state.momentum_buffer, first, i);
                    }
                }
                else if (present == 0)
                {
                    first?.Dispose();
                    first = null;
                }

                break;
        }
    }

    public void Dispose()
    {
        // The state tensors are views of the buffers; the TorchSharp optimiser disposes the views.
        inner.Dispose();
        first?.Dispose();
        second?.Dispose();
        flat?.Dispose();
    }

    /// <summary>Whether every parameter's state is in the form the flat update reproduces exactly.</summary>
    private bool CanStepFlat()
    {
        var group = (ParamGroup)inner.ParamGroups.First();
        var states = ((OptimizerHelper)inner).state_dict().State;
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                var options = AdamSettings.Of(group.Options);
                if (options.Amsgrad || options.Maximize)
                {
                    return false;
                }

                var step = AdamState.Step(states[0]);
                return states.All(s => AdamState.Step(s) == step);
            default:
                var sgd = (SGD.Options)group.Options;
                var present = states.Count(s => ((SGD.State)s).momentum_buffer is not null);
                return sgd.maximize != true && (present == 0 || (present == states.Count && first is not null));
        }
    }

    private void StepAdam(AdamSettings options, bool decoupled)
    {
        var states = ((OptimizerHelper)inner).state_dict().State;
        foreach (var state in states)
        {
            AdamState.SetStep(state, AdamState.Step(state) + 1);
        }

        var step = AdamState.Step(states[0]);
        if (fused)
        {
            using var stepNumber = torch.tensor((float)step);
            FusedAdam.Step(flat!.Values, flat.Gradients!, first!, second!, stepNumber, options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay, options.Eps, decoupled);
            return;
        }

        OptimizerStep.Adam(flat!.Values, flat.Gradients!, first!, second!, maxSecondMoment: null, step, options, decoupled);
    }

    private void StepSgd(SgdSettings options)
    {
        var created = first is null;
        OptimizerStep.Sgd(flat!.Values, flat.Gradients!, ref first, options);
        if (created && first is not null)
        {
            StateLoaded(); // the momentum buffer now exists: bind TorchSharp's state to its slices
        }
    }

    /// <summary>Copies a state tensor TorchSharp made into slice <paramref name="index"/> of <paramref name="buffer"/> and returns the slice in its place.</summary>
    private Tensor Rebind(Tensor? current, Tensor buffer, int index)
    {
        if (current is not null && bound.Contains(current))
        {
            return current;
        }

        var slice = flat!.Slice(buffer, index).DetachFromDisposeScope();
        if (current is not null)
        {
            slice.copy_(current);
            current.Dispose();
        }

        bound.Add(slice);
        return slice;
    }
}
