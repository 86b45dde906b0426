using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Export;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Variants;
using Autoencoders.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Model;

/// <summary>
/// The device option: models built, moved, trained, saved, loaded, checkpointed and exported through an
/// explicit device (<see cref="TestDevice.Current"/>: the CPU here, a CUDA device where the suite is run
/// with one); the meta device for structure-only models; and the messages for devices that cannot be had.
/// </summary>
public sealed class DeviceTests : IDisposable
{
    private static readonly TrainerOptions Options = new() { Epochs = 3, BatchSize = 32, LearningRate = 3e-3, Seed = 5, Threads = 1 };
    private readonly float[,] rows = VariantCatalog.UnitIntervalData(128, seed: 8);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void An_explicit_cpu_device_builds_exactly_the_model_built_without_one()
    {
        var spec = VariantCatalog.Specs["convolutional-denoising-vae"];
        using var implicitCpu = spec.Build(seed: 4);
        using var explicitCpu = spec.Build(seed: 4, CPU);

        explicitCpu.Device.type.Should().Be(DeviceType.CPU);
        StateBytes(explicitCpu).Should().BeEquivalentTo(StateBytes(implicitCpu), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("vanilla")]
    [InlineData("convolutional-sparse-batchnorm")]
    [InlineData("custom-encoder-and-decoder")]
    public void A_seed_gives_the_same_initial_weights_on_every_device(string name)
    {
        var spec = VariantCatalog.Specs[name];
        using var onCpu = spec.Build(seed: 6);
        using var onDevice = spec.Build(seed: 6, TestDevice.Current);

        onDevice.parameters().Cast<Tensor>().Concat(onDevice.buffers()).Should().OnlyContain(t => TestDevice.Holds(t));
        StateBytes(onDevice).Should().BeEquivalentTo(StateBytes(onCpu), o => o.WithStrictOrdering());
    }

    [Fact]
    public void To_moves_the_model_in_place_and_its_array_methods_still_take_and_return_arrays()
    {
        using var model = VariantCatalog.Specs["variational-bernoulli"].Build(seed: 2);
        var before = model.Encode(rows);

        var returned = model.To(TestDevice.Current);

        returned.Should().BeSameAs(model);
        TestDevice.Holds(model.parameters().First()).Should().BeTrue();
        Devices.Matches(model.Device, TestDevice.Current).Should().BeTrue();
        ShouldBeClose(model.Encode(rows), before);
        model.To(CPU).Device.type.Should().Be(DeviceType.CPU);
        model.Encode(rows).Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), "back on the CPU it computes exactly as before");
    }

    [Fact]
    public void A_model_saved_from_one_device_loads_on_another_with_the_same_weights()
    {
        var spec = VariantCatalog.Specs["convolutional-sparse-batchnorm"];
        using var data = InMemoryDataset.FromArray(rows, [1, 4, 4]);
        using var trained = spec.Build(seed: 3, TestDevice.Current);
        trained.Scaler = MinMaxScaler.Fit(data);
        new Trainer(Options).Fit(trained, data);
        var path = folder.File("moved.aemodel");

        trained.Save(path);
        using var onCpu = Autoencoder.Load(path, CPU);
        using var onDevice = Autoencoder.Load(path, TestDevice.Current);

        onCpu.Device.type.Should().Be(DeviceType.CPU);
        Devices.Matches(onDevice.Device, TestDevice.Current).Should().BeTrue();
        StateBytes(onCpu).Should().BeEquivalentTo(StateBytes(trained), o => o.WithStrictOrdering(), "files hold CPU bytes, whichever device wrote them");
        StateBytes(onDevice).Should().BeEquivalentTo(StateBytes(trained), o => o.WithStrictOrdering());
        onDevice.Reconstruct(rows).Should().BeEquivalentTo(trained.Reconstruct(rows), o => o.WithStrictOrdering());
        ShouldBeClose(onCpu.Reconstruct(rows), trained.Reconstruct(rows));
    }

    [Fact]
    public void A_run_checkpointed_on_one_device_resumes_on_another()
    {
        var spec = VariantCatalog.Specs["denoising-masking"];
        using var data = InMemoryDataset.FromArray(rows);
        var checkpoint = folder.File("run.ckpt");
        var options = Options with { Epochs = 4, CheckpointPath = checkpoint };
        using var interrupted = spec.Build(seed: 1, TestDevice.Current);
        var firstEpochs = Interrupt(options, interrupted, data);

        using var resumed = spec.Build(seed: 1, CPU);
        var history = new Trainer(options).Fit(resumed, data);

        history.Epochs.Should().HaveCount(4);
        history.TrainLosses.Take(2).Should().Equal(firstEpochs, "the epochs run before the checkpoint are carried over");
        history.TrainLosses[^1].Should().BeLessThan(history.TrainLosses[0]);
        resumed.Device.type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void Across_kinds_of_device_the_noise_stream_restarts_with_a_warning()
    {
        using var data = InMemoryDataset.FromArray(rows);
        var checkpoint = folder.File("noise.ckpt");
        var options = Options with { Epochs = 4, CheckpointPath = checkpoint };
        foreach (var name in new[] { "denoising-gaussian", "vanilla" })
        {
            var spec = VariantCatalog.Specs[name];
            using (var interrupted = spec.Build(seed: 1))
            {
                Interrupt(options, interrupted, data);
            }

            // A checkpoint whose noise was drawn by a CUDA generator, as a run on a GPU writes it.
            var contents = ModelFile.Read(checkpoint);
            using (contents.Model)
            {
                var fields = contents.Application!.Fields.ToDictionary(kv => kv.Key, kv => kv.Value);
                fields["noise_device"] = "cuda";
                ModelFile.Write(checkpoint, contents with { Application = new ModelFileApplication(contents.Application.Kind, fields) });
            }

            using var resumed = spec.Build(seed: 1);
            var history = new Trainer(options).Fit(resumed, data);

            history.Epochs.Should().HaveCount(4);
            if (name == "vanilla")
            {
                history.Warnings.Should().NotContain(w => w.Contains("noise"), "a model that draws no noise loses nothing");
            }
            else
            {
                history.Warnings.Should().ContainSingle(w => w.Contains("a CUDA device") && w.Contains("the CPU") && w.Contains("noise restart"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void On_the_meta_device_a_model_has_the_structure_of_the_real_one_and_no_storage(string name)
    {
        var spec = VariantCatalog.Specs[name];
        using var real = spec.Build(seed: 1);

        using var structure = spec.Build(seed: 1, META);

        structure.Device.type.Should().Be(DeviceType.META);
        structure.parameters().Cast<Tensor>().Concat(structure.buffers()).Should().OnlyContain(t => t.device_type == DeviceType.META);
        var state = structure.state_dict();
        state.Keys.Should().Equal(real.state_dict().Keys);
        foreach (var (key, tensor) in real.state_dict())
        {
            state[key].shape.Should().Equal(tensor.shape, key);
            state[key].dtype.Should().Be(tensor.dtype, key);
        }
    }

    [Fact]
    public void A_structure_only_model_refuses_what_needs_weights_with_a_clear_message()
    {
        using var data = InMemoryDataset.FromArray(rows);
        using var structure = VariantCatalog.Specs["vanilla"].Build(device: META);

        structure.Invoking(m => m.Encode(rows)).Should().Throw<InvalidOperationException>().WithMessage("*meta device*cannot run*spec.Build(seed, device)*");
        structure.Invoking(m => new Trainer(Options).Fit(m, data)).Should().Throw<InvalidOperationException>().WithMessage("*meta device*cannot be trained*");
        structure.Invoking(m => m.Save(folder.File("meta.aemodel"))).Should().Throw<InvalidOperationException>().WithMessage("*meta device*cannot be saved*");
        structure.Invoking(m => m.ToOnnx()).Should().Throw<InvalidOperationException>().WithMessage("*meta device*cannot be exported*");
        structure.Invoking(m => m.To(CPU)).Should().Throw<InvalidOperationException>().WithMessage("*meta device*cannot be moved*");
        File.Exists(folder.File("meta.aemodel")).Should().BeFalse();
    }

    [Fact]
    public void The_meta_device_cannot_receive_weights()
    {
        var path = folder.File("real.aemodel");
        using var model = VariantCatalog.Specs["vanilla"].Build(seed: 1);
        model.Save(path);

        model.Invoking(m => m.To(META)).Should().Throw<ArgumentException>().WithMessage("*meta device holds shapes but no values*");
        ((Action)(() => Autoencoder.Load(path, META))).Should().Throw<ArgumentException>().WithMessage("*meta device holds shapes but no values*");
        model.Device.type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void A_registered_module_is_built_on_the_device_its_context_names_without_touching_the_default_device()
    {
        var seen = new List<(DeviceType Context, DeviceType Default)>();
        const string name = "Tests.DeviceProbe";
        ModuleRegistry.RegisterEncoder(name, context =>
        {
            lock (seen)
            {
                seen.Add((context.Device.type, get_default_device().type));
            }

            return nn.Sequential(nn.Flatten(), nn.Linear(context.FeatureCount, 5, device: context.Device), nn.ReLU());
        });
        try
        {
            var spec = AutoencoderSpec.Dense(16, 3, [8]).WithEncoder(ModuleSpec.Create(name)).WithDecoder(TestModules.MlpDecoderSpec());

            var shapes = StateShapes.Of(spec);
            using var structure = spec.Build(device: META);

            seen.Should().Contain((DeviceType.META, DeviceType.CPU), "the meta device is passed to the factory, not set as the process's default");
            seen.Should().OnlyContain(s => s.Default == DeviceType.CPU);
            shapes.Should().Contain(s => s.Name.StartsWith("encoder.", StringComparison.Ordinal));
            structure.parameters().Should().OnlyContain(p => p.device_type == DeviceType.META, "a factory that ignores the device (the test decoder) is moved there");
        }
        finally
        {
            ModuleRegistry.Unregister(ModuleRole.Encoder, name);
        }
    }

    [Fact]
    public void A_variational_model_generates_and_scores_alike_on_its_device()
    {
        var spec = VariantCatalog.Specs["variational-bernoulli"];
        using var data = InMemoryDataset.FromArray(rows);
        using var onCpu = (VariationalAutoencoder)spec.Build(seed: 2);
        new Trainer(Options).Fit(onCpu, data);
        var path = folder.File("vae.aemodel");
        onCpu.Save(path);

        using var onDevice = (VariationalAutoencoder)Autoencoder.Load(path, TestDevice.Current);

        ShouldBeClose(onDevice.Generate(8, seed: 3), onCpu.Generate(8, seed: 3));
        onDevice.NegativeElbo(data, seed: 1).Should().Equal(onCpu.NegativeElbo(data, seed: 1), (a, b) => Math.Abs(a - b) < 1e-3);
        onDevice.LogLikelihood(data, samples: 20, seed: 1).Should().Equal(onCpu.LogLikelihood(data, samples: 20, seed: 1), (a, b) => Math.Abs(a - b) < 1e-3);
        onDevice.ActiveUnits(data).Should().Be(onCpu.ActiveUnits(data));
    }

    [Fact]
    public void An_onnx_export_from_a_model_on_any_device_holds_the_same_graph()
    {
        using var onCpu = VariantCatalog.Specs["convolutional"].Build(seed: 5);
        using var onDevice = VariantCatalog.Specs["convolutional"].Build(seed: 5, TestDevice.Current);

        onDevice.ToOnnx().Should().Equal(onCpu.ToOnnx());
    }

    [Fact]
    public void The_facades_take_a_device_by_name()
    {
        var training = new TrainerOptions { Epochs = 3, BatchSize = 32, Threads = 1 };
        var options = AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.05), Training = training, Seed = 2, Device = TestDevice.Name };
        using var detector = AnomalyDetector.Fit(rows, options);
        var path = folder.File("detector.aemodel");
        detector.Save(path);

        using var onCpu = AnomalyDetector.Load(path, "cpu");
        using var onDevice = AnomalyDetector.Load(path, TestDevice.Name);

        TestDevice.Holds(detector.Model.parameters().First()).Should().BeTrue();
        onCpu.Model.Device.type.Should().Be(DeviceType.CPU);
        onDevice.Score(rows).Should().Equal(detector.Score(rows));
        onCpu.Score(rows).Should().Equal(detector.Score(rows), (a, b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(b)));

        using var reducer = AutoencoderReducer.Fit(rows, new ReducerOptions { Components = 2, Training = training, Device = TestDevice.Name });
        TestDevice.Holds(reducer.Model.parameters().First()).Should().BeTrue();
        reducer.Transform(rows).GetLength(1).Should().Be(2);
    }

    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData(" CPU ", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, -1)]
    [InlineData("Cuda:1", DeviceType.CUDA, 1)]
    public void Device_names_parse(string name, DeviceType type, int index)
    {
        var device = Devices.Parse(name, "device");

        device.type.Should().Be(type);
        device.index.Should().Be(index);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("meta")]
    [InlineData("mps")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_that_is_not_a_device_is_refused_with_the_accepted_forms(string? name)
    {
        var act = () => AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Device = name! });

        act.Should().Throw<ArgumentException>().WithMessage("*is not a device this library runs on: use \"cpu\", \"cuda\"*\"cuda:N\"*");
    }

    [Fact]
    public void A_device_type_the_library_does_not_run_on_is_refused()
    {
        var act = () => VariantCatalog.Specs["vanilla"].Build(device: new Device(DeviceType.MPS));

        act.Should().Throw<ArgumentException>().WithMessage("*'mps' is not supported*CPU or on a CUDA device*");
    }

    [Fact]
    public void Asking_for_cuda_without_a_cuda_backend_names_the_packages_to_reference()
    {
        var spec = VariantCatalog.Specs["vanilla"];
        var path = folder.File("cuda.aemodel");
        using var model = spec.Build(seed: 1);
        model.Save(path);
        if (cuda.is_available())
        {
            // Run with a CUDA backend: the same check refuses a device the machine does not have.
            var missing = new Device(DeviceType.CUDA, cuda.device_count());
            ((Action)(() => spec.Build(device: missing))).Should().Throw<InvalidOperationException>().WithMessage($"*'{missing}' does not exist*");
            return;
        }

        const string remedy = "*no usable CUDA backend*reference TorchSharp-cuda-linux (Linux) or TorchSharp-cuda-windows (Windows)*instead of TorchSharp-cpu*";
        ((Action)(() => spec.Build(device: new Device("cuda:0")))).Should().Throw<InvalidOperationException>().WithMessage(remedy);
        ((Action)(() => model.To(new Device(DeviceType.CUDA)))).Should().Throw<InvalidOperationException>().WithMessage(remedy);
        ((Action)(() => Autoencoder.Load(path, "cuda"))).Should().Throw<InvalidOperationException>().WithMessage(remedy);
        ((Action)(() => AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Device = "cuda:0" }))).Should().Throw<InvalidOperationException>().WithMessage(remedy);
        model.Device.type.Should().Be(DeviceType.CPU, "a refused move leaves the model where it was");
        model.Encode(rows).GetLength(0).Should().Be(rows.GetLength(0));
    }

    private static List<byte[]> StateBytes(Autoencoder model) => model.state_dict().Values.Select(TensorBytes.Of).ToList();

    private static void ShouldBeClose(float[,] actual, float[,] expected)
    {
        actual.GetLength(0).Should().Be(expected.GetLength(0));
        actual.GetLength(1).Should().Be(expected.GetLength(1));
        for (var i = 0; i < actual.GetLength(0); i++)
        {
            for (var j = 0; j < actual.GetLength(1); j++)
            {
                actual[i, j].Should().BeApproximately(expected[i, j], 1e-4f, $"[{i}, {j}]");
            }
        }
    }

    /// <summary>Trains with checkpoints and stops after the second epoch; returns the two epochs' training losses.</summary>
    private static List<double> Interrupt(TrainerOptions options, Autoencoder model, InMemoryDataset data)
    {
        var losses = new List<double>();
        using var cancel = new CancellationTokenSource();
        var stopAfterTwo = new SynchronousProgress<EpochReport>(r =>
        {
            losses.Add(r.TrainLoss);
            if (r.Epoch == 2)
            {
                cancel.Cancel();
            }
        });
        ((Action)(() => new Trainer(options).Fit(model, data, progress: stopAfterTwo, cancellationToken: cancel.Token)))
            .Should().Throw<OperationCanceledException>();
        File.Exists(options.CheckpointPath).Should().BeTrue();
        return losses;
    }
}
