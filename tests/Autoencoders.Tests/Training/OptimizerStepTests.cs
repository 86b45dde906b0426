using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Training;

/// <summary>
/// <see cref="OptimizerStep"/>, parameter by parameter, against TorchSharp's own <c>step</c>, which it
/// replaces: from the same parameters and gradients, every option of Adam, AdamW and SGD (AMSGrad, maximize,
/// Nesterov, …) gives bit-identical parameters and state. The flat form is <c>FlatOptimizerTests</c>'.
/// </summary>
[ComparesWithTorchSharp]
public sealed class OptimizerStepTests
{
    private const int Steps = 6;

    public static TheoryData<string> Optimizers => new()
    {
        "adam", "adam-weight-decay", "adam-amsgrad", "adam-maximize",
        "adamw", "adamw-amsgrad", "adamw-maximize",
        "sgd", "sgd-momentum", "sgd-dampening-weight-decay", "sgd-nesterov", "sgd-maximize",
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Steps_are_bit_identical_to_TorchSharps(string name)
    {
        using var scope = NewDisposeScope();
        var (ours, oursParameters) = Create(name);
        var (theirs, theirParameters) = Create(name);
        using var generator = new Generator(5);
        for (var step = 0; step < Steps; step++)
        {
            if (step == 3)
            {
                // The schedule changes the rate in the parameter groups, which both read at every step.
                foreach (var optimizer in new[] { ours, theirs })
                {
                    optimizer.ParamGroups.First().LearningRate = 0.05;
                }
            }

            foreach (var (a, b) in oursParameters.Zip(theirParameters))
            {
                using var gradient = randn(a.shape, generator: generator);
                a.grad = gradient.clone();
                b.grad = gradient.clone();
            }

            OptimizerStep.EachParameter(ours);
            TorchSharpReference.Run(() => theirs.step());
        }

        foreach (var (a, b) in oursParameters.Zip(theirParameters))
        {
            a.Equals(b).Should().BeTrue("the parameters after {0} steps are bit-identical", Steps);
        }

        var ourState = ((OptimizerHelper)ours).state_dict().State;
        var theirState = ((OptimizerHelper)theirs).state_dict().State;
        foreach (var (a, b) in ourState.Zip(theirState))
        {
            Step(a).Should().Be(Step(b));
            foreach (var (ourTensor, theirTensor) in StateTensors(a).Zip(StateTensors(b)))
            {
                (ourTensor is null).Should().Be(theirTensor is null);
                (ourTensor is null || ourTensor.Equals(theirTensor!)).Should().BeTrue("the optimiser's state is bit-identical");
            }
        }

        ours.Dispose();
        theirs.Dispose();
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_left_alone()
    {
        using var scope = NewDisposeScope();
        var (optimizer, parameters) = Create("adam");
        var before = parameters.Select(p => p.detach().clone()).ToArray();
        parameters[0].grad = ones_like(parameters[0]);

        OptimizerStep.EachParameter(optimizer);

        parameters[0].Equals(before[0]).Should().BeFalse();
        parameters[1].Equals(before[1]).Should().BeTrue();
        ((Adam.State)((OptimizerHelper)optimizer).state_dict().State[1]).step.Should().Be(0);
        optimizer.Dispose();
    }

    private static (optim.Optimizer Optimizer, Parameter[] Parameters) Create(string name)
    {
        using var generator = new Generator(3);
        Parameter[] parameters = [new(randn([4, 3], generator: generator).DetachFromDisposeScope()), new(randn([3], generator: generator).DetachFromDisposeScope())];
        optim.Optimizer optimizer = name switch
        {
            "adam" => optim.Adam(parameters, 0.01),
            "adam-weight-decay" => optim.Adam(parameters, 0.01, weight_decay: 0.1),
            "adam-amsgrad" => optim.Adam(parameters, 0.01, beta1: 0.8, beta2: 0.99, amsgrad: true),
            "adam-maximize" => optim.Adam(parameters, 0.01, weight_decay: 0.01, maximize: true),
            "adamw" => optim.AdamW(parameters, 0.01, weight_decay: 0.1),
            "adamw-amsgrad" => optim.AdamW(parameters, 0.01, eps: 1e-6, amsgrad: true),
            "adamw-maximize" => optim.AdamW(parameters, 0.01, maximize: true),
            "sgd" => optim.SGD(parameters, 0.1),
            "sgd-momentum" => optim.SGD(parameters, 0.1, momentum: 0.9),
            "sgd-dampening-weight-decay" => optim.SGD(parameters, 0.1, momentum: 0.8, dampening: 0.3, weight_decay: 0.05),
            "sgd-nesterov" => optim.SGD(parameters, 0.1, momentum: 0.9, nesterov: true),
            "sgd-maximize" => optim.SGD(parameters, 0.1, momentum: 0.5, maximize: true),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown optimizer."),
        };
        return (optimizer, parameters);
    }

    private static long Step(OptimizerState state) => state switch
    {
        Adam.State a => a.step,
        AdamW.State w => w.step,
        _ => 0,
    };

    private static Tensor?[] StateTensors(OptimizerState state) => state switch
    {
        Adam.State a => [a.exp_avg, a.exp_avg_sq, a.max_exp_avg_sq],
        AdamW.State w => [w.exp_avg, w.exp_avg_sq, w.max_exp_avg_sq],
        SGD.State s => [s.momentum_buffer],
        _ => throw new ArgumentOutOfRangeException(nameof(state), state.GetType().Name, "Unknown state."),
    };
}
