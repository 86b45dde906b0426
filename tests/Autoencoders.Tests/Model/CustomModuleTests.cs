using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Variants;
using Autoencoders.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Model;

/// <summary>
/// Registered modules as encoder and decoder: the spec stays JSON, unknown names and bad parameters are
/// refused with the remedy, shapes are checked once when the model is built, and the penalties see the
/// modules. The common contract (trains, deterministic, round-trips, refuses NaN) is in the variant suite.
/// </summary>
public sealed class CustomModuleTests : IDisposable
{
    private static readonly TrainerOptions Fast = new() { Epochs = 4, BatchSize = 32, LearningRate = 3e-3, Seed = 3, Threads = 1 };
    private readonly TempFolder folder = new();

    public CustomModuleTests() => TestModules.Register();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void The_encoder_width_comes_from_a_trial_batch_and_a_flat_decoder_output_is_reshaped_to_the_input()
    {
        using var model = AutoencoderSpec.Custom([1, 4, 4], 3, TestModules.ResidualEncoder(width: 10), TestModules.MlpDecoderSpec()).Build(seed: 1);
        using var x = torch.rand(5, 1, 4, 4);

        using var reconstruction = model.forward(x);
        using var code = model.encode(x);

        model.Encoder.OutputSize.Should().Be(10);
        model.state_dict()["bottleneck.code.weight"].shape.Should().Equal(3, 10);
        reconstruction.shape.Should().Equal(5, 1, 4, 4);
        code.shape.Should().Equal(5, 3);
        model.training.Should().BeTrue("the trial batch runs in evaluation mode and puts the module back");
        model.Encoder.training.Should().BeTrue();
    }

    [Fact]
    public void The_spec_names_the_module_and_keeps_its_parameters_as_plain_json()
    {
        var spec = AutoencoderSpec.Dense(16, 3, [12]).WithEncoder(TestModules.ResidualEncoder(width: 12, blocks: 2));

        var json = spec.ToJson();

        json.Should().Contain("\"backbone\":{\"type\":\"custom\",\"encoder\":{\"name\":\"Tests.ResidualMlp\",\"parameters\":{\"width\":12,\"blocks\":2}},\"decoder\":null,\"builtIn\":{\"type\":\"dense\",\"hidden\":[12]");
        AutoencoderSpec.FromJson(json).Should().Be(spec);
        spec.WithDecoder(TestModules.MlpDecoderSpec()).Backbone.Should().Be(
            new CustomBackboneSpec { Encoder = TestModules.ResidualEncoder(width: 12, blocks: 2), Decoder = TestModules.MlpDecoderSpec() },
            "once both sides are replaced the built-in backbone has nothing left to build");
    }

    [Theory]
    [InlineData("encoder", "RegisterEncoder")]
    [InlineData("decoder", "RegisterDecoder")]
    public void A_spec_naming_an_unregistered_module_is_refused_with_the_name_and_how_to_register_it(string side, string method)
    {
        var json = AutoencoderSpec.Custom([16], 3, TestModules.ResidualEncoder(), TestModules.MlpDecoderSpec()).ToJson()
            .Replace(side == "encoder" ? TestModules.ResidualMlp : TestModules.Mlp, "Tests.Nowhere", StringComparison.Ordinal);

        var act = () => AutoencoderSpec.FromJson(json);

        act.Should().Throw<ArgumentException>().WithMessage($"*{side} is the module 'Tests.Nowhere', which is not registered*ModuleRegistry.{method}(\"Tests.Nowhere\"*");
    }

    [Fact]
    public void Loading_a_model_whose_module_is_not_registered_fails_with_a_ModelFileException_naming_it()
    {
        const string name = "Tests.Transient";
        ModuleRegistry.RegisterEncoder(name, static context => nn.Sequential(nn.Flatten(), nn.Linear(context.FeatureCount, 5)));
        var path = folder.File("transient.aemodel");
        using (var model = AutoencoderSpec.Dense(16, 3, [8]).WithEncoder(ModuleSpec.Create(name)).Build(seed: 1))
        {
            model.Save(path);
        }

        ModuleRegistry.Unregister(ModuleRole.Encoder, name).Should().BeTrue();
        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage($"*'{name}', which is not registered*ModuleRegistry.RegisterEncoder(\"{name}\"*");
    }

    [Fact]
    public void A_file_of_registered_modules_can_be_inspected_without_building_its_weights()
    {
        // ModelFileInfo learns the state's shapes from a build on the meta device, where libtorch cannot
        // run relu or a GRU: the encoder's width comes from a CPU twin, the decoder is not run at all.
        var spec = AutoencoderSpec.Custom([8, 2], 3, ModuleSpec.Create(TestModules.Gru, new TestModules.GruParameters(Hidden: 6)), TestModules.MlpDecoderSpec())
            .WithGaussianBottleneck();
        var path = folder.File("inspect.aemodel");
        using (var model = spec.Build(seed: 1))
        {
            model.Save(path);
        }

        var info = ModelFileInfo.Read(path);
        using var loaded = Autoencoder.Load(path);

        info.Spec.Should().Be(spec);
        info.ParameterCount.Should().Be(loaded.parameters().Sum(p => p.numel()));
        torch.get_default_device().type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void Parameters_that_do_not_fit_the_factory_are_refused()
    {
        var wrongType = ModuleSpec.Create(TestModules.ResidualMlp, new { width = "wide", blocks = 2 });
        var unknownMember = ModuleSpec.Create(TestModules.ResidualMlp, new { width = 4, blocks = 2, depth = 3 });
        var none = ModuleSpec.Create(TestModules.ResidualMlp);

        var dense = AutoencoderSpec.Dense(16, 3, [8]);
        dense.Invoking(s => s.WithEncoder(wrongType)).Should().Throw<ArgumentException>().WithMessage("*parameters of the encoder 'Tests.ResidualMlp' do not fit its type ResidualParameters*");
        dense.Invoking(s => s.WithEncoder(unknownMember)).Should().Throw<ArgumentException>().WithMessage("*do not fit*depth*");
        dense.Invoking(s => s.WithEncoder(none)).Should().Throw<ArgumentException>().WithMessage("*takes parameters of type ResidualParameters, but the spec gives none*");
    }

    [Fact]
    public void A_name_means_one_module()
    {
        TestModules.Register();

        var act = () => ModuleRegistry.RegisterEncoder(TestModules.ResidualMlp, context => nn.Identity());

        act.Should().Throw<InvalidOperationException>().WithMessage("*already registered as the encoder 'Tests.ResidualMlp'*");
        ModuleRegistry.RegisterDecoder(TestModules.ResidualMlp + ".AsDecoder", static context => nn.Linear(context.LatentSize, context.FeatureCount));
    }

    [Theory]
    [InlineData("Tests.Bad.Pooled", "encoder*returned a tensor shaped [1, 16]*[batch, features]*")]
    [InlineData("Tests.Bad.Throws", "encoder*failed on a trial batch of 2 samples shaped [16]: this module reads 3 features")]
    [InlineData("Tests.Bad.Double", "encoder*returned Float64 values*float32*")]
    public void A_wrong_encoder_is_refused_when_the_model_is_built(string name, string message)
    {
        ModuleRegistry.RegisterEncoder("Tests.Bad.Pooled", static _ => new Lambda(x => x.sum(0, keepdim: true)));
        ModuleRegistry.RegisterEncoder("Tests.Bad.Throws", static _ => new Lambda(x => throw new InvalidOperationException("this module reads 3 features")));
        ModuleRegistry.RegisterEncoder("Tests.Bad.Double", static _ => new Lambda(x => x.to_type(ScalarType.Float64)));
        var spec = AutoencoderSpec.Dense(16, 3, [8]).WithEncoder(ModuleSpec.Create(name));

        var act = () => spec.Build();

        act.Should().Throw<ArgumentException>().WithMessage($"*{message}");
    }

    [Fact]
    public void A_decoder_that_does_not_reproduce_the_input_shape_is_refused_when_the_model_is_built()
    {
        ModuleRegistry.RegisterDecoder("Tests.Bad.Narrow", static context => nn.Linear(context.LatentSize, 10));
        var spec = AutoencoderSpec.Convolutional([1, 4, 4], 3, [4]).WithDecoder(ModuleSpec.Create("Tests.Bad.Narrow"));

        var act = () => spec.Build();

        act.Should().Throw<ArgumentException>().WithMessage("The decoder 'Tests.Bad.Narrow' returned a tensor shaped [2, 10] for a batch of 2 codes of 3 values; a decoder must reproduce the input's shape, [batch, 1, 4, 4] (or [batch, 16], which is reshaped).");
    }

    [Fact]
    public void A_recurrent_encoder_reads_sequences_trains_and_round_trips()
    {
        var rows = VariantCatalog.UnitIntervalData(128, seed: 4);
        using var data = InMemoryDataset.FromArray(rows, [8, 2]);
        var spec = AutoencoderSpec.Dense([8, 2], 3, [12]).WithEncoder(ModuleSpec.Create(TestModules.Gru, new TestModules.GruParameters(Hidden: 6)));
        using var model = spec.Build(seed: 2);

        var history = new Trainer(Fast).Fit(model, data);
        var path = folder.File("gru.aemodel");
        model.Save(path);
        using var loaded = Autoencoder.Load(path);

        model.Encoder.OutputSize.Should().Be(6);
        history.TrainLosses[^1].Should().BeLessThan(history.TrainLosses[0]);
        loaded.Encode(rows).Should().BeEquivalentTo(model.Encode(rows), o => o.WithStrictOrdering());
    }

    [Fact]
    public void The_contractive_penalty_differentiates_a_registered_encoder_by_autograd()
    {
        var rows = VariantCatalog.UnitIntervalData(64, seed: 6);
        using var x = torch.tensor(rows);
        var spec = AutoencoderSpec.Dense(16, 3, [8]).WithEncoder(TestModules.ResidualEncoder(width: 6, blocks: 1))
            .WithPenalty(new ContractivePenaltySpec { Weight = 1.0 });
        using var model = spec.Build(seed: 3);
        model.eval();

        var term = model.ComputeLoss(x).Terms.Single(t => t.Key == ContractivePenaltySpec.TermName).Value.item<float>();
        using var input = x.detach().requires_grad_(true);
        using var code = model.encode(input);
        var expected = ContractivePenaltySpec.AutogradJacobianNorm(code, input).mean().item<float>();

        term.Should().BeApproximately(expected, 1e-5f * expected);
        expected.Should().BeGreaterThan(0);
    }

    [Fact]
    public void The_contractive_penalty_refuses_an_encoder_whose_output_does_not_depend_differentiably_on_the_input()
    {
        ModuleRegistry.RegisterEncoder("Tests.Bad.Detached", static context => new Lambda(x => x.flatten(1).detach()));
        var spec = AutoencoderSpec.Dense(16, 3, [8]).WithEncoder(ModuleSpec.Create("Tests.Bad.Detached"))
            .WithPenalty(new ContractivePenaltySpec { Weight = 0.1 });

        var act = () => spec.Build();

        act.Should().Throw<ArgumentException>().WithMessage("The contractive penalty differentiates the code with respect to the input, but the encoder 'Tests.Bad.Detached'*");
    }

    [Fact]
    public void The_weight_penalty_covers_the_matrices_of_a_registered_module_whatever_their_names()
    {
        using var x = torch.rand(4, 8, 2);
        var spec = AutoencoderSpec.Dense([8, 2], 3, [12])
            .WithEncoder(ModuleSpec.Create(TestModules.Gru, new TestModules.GruParameters(Hidden: 5)))
            .WithPenalty(new WeightL2PenaltySpec { Weight = 0.5 });
        using var model = spec.Build(seed: 4);

        var term = model.ComputeLoss(x).Terms.Single(t => t.Key == WeightL2PenaltySpec.TermName).Value.item<float>();
        var matrices = model.named_parameters().Where(p => p.parameter.dim() >= 2).ToArray();
        var expected = matrices.Sum(p => p.parameter.Square().sum().item<float>()) * 0.5f;

        matrices.Select(p => p.name).Should().Contain("encoder.module.gru.weight_ih_l0");
        term.Should().BeApproximately(expected, 1e-5f * expected);
    }

    /// <summary>A module made of one function, for the modules that fail the build-time checks.</summary>
    private sealed class Lambda(Func<Tensor, Tensor> function) : nn.Module<Tensor, Tensor>(nameof(Lambda))
    {
        public override Tensor forward(Tensor input) => function(input);
    }
}
