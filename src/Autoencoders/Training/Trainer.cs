using System.Diagnostics;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// The one training loop for every autoencoder variant. It asks the model for its named loss terms
/// and minimises their sum; it never looks at which variant it is training.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(new TrainerOptions { Epochs = 30, Patience = 5, ValidationFraction = 0.1 });
/// TrainingHistory history = trainer.Fit(model, train, progress: new Progress&lt;EpochReport&gt;(Console.WriteLine));
/// </code>
/// </example>
public sealed class Trainer
{
    private const int DiagnosticSamples = 2048;

    /// <summary>Creates a trainer with the given options (defaults when null).</summary>
    public Trainer(TrainerOptions? options = null)
    {
        Options = options ?? new TrainerOptions();
        Options.Validate();
    }

    /// <summary>The options of this trainer.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> (in the data's units: the model's
    /// scaler, if set, is applied here). Each step runs in its own dispose scope, so native memory stays
    /// flat however long the run.
    /// </summary>
    /// <param name="model">The model to train in place.</param>
    /// <param name="train">The training data; its sample shape must match the model's input.</param>
    /// <param name="validation">Held-out data for early stopping and best-weight restore; when null,
    /// <see cref="TrainerOptions.ValidationFraction"/> of <paramref name="train"/> is held out.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Stops training between two steps; the model keeps its current weights.</param>
    /// <exception cref="TrainingDivergedException">A loss term became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public TrainingHistory Fit(
        Autoencoder model,
        InMemoryDataset train,
        InMemoryDataset? validation = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        TorchRuntime.EnsureAvailable();
        InputValidator.ThrowIfShapeDoesNotFit(train.SampleShape, model.InputShape, nameof(train));
        if (validation is not null)
        {
            InputValidator.ThrowIfShapeDoesNotFit(validation.SampleShape, model.InputShape, nameof(validation));
        }

        var threads = Options.Threads ?? ThreadPolicy.DefaultTrainingThreads;
        var previousThreads = torch.get_num_threads();
        torch.set_num_threads(threads);
        var owned = new List<IDisposable>();
        try
        {
            var (trainSet, validationSet) = PrepareData(model, train, validation, owned);
            return Run(model, trainSet, validationSet, threads, progress, cancellationToken);
        }
        finally
        {
            foreach (var d in owned)
            {
                d.Dispose();
            }

            torch.set_num_threads(previousThreads);
        }
    }

    private (InMemoryDataset Train, InMemoryDataset? Validation) PrepareData(
        Autoencoder model, InMemoryDataset train, InMemoryDataset? validation, List<IDisposable> owned)
    {
        if (validation is null && Options.ValidationFraction > 0)
        {
            var split = train.Split(Options.ValidationFraction, Options.Seed);
            owned.Add(split.Train);
            owned.Add(split.Validation);
            (train, validation) = split;
        }

        if (model.Scaler is { } scaler)
        {
            train = scaler.Transform(train);
            owned.Add(train);
            if (validation is not null)
            {
                validation = scaler.Transform(validation);
                owned.Add(validation);
            }
        }

        return (train, validation);
    }

    private TrainingHistory Run(
        Autoencoder model,
        InMemoryDataset train,
        InMemoryDataset? validation,
        int threads,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var parameters = model.parameters().ToArray();
        using var optimizer = CreateOptimizer(parameters);
        using var generator = new torch.Generator(unchecked((ulong)Options.Seed));

        // Corruption and sampling draw from their own stream, derived from the same seed, so that
        // adding noise to a model does not change the order its data is shuffled in.
        using var noise = new torch.Generator(unchecked((ulong)Options.Seed ^ 0x5DEECE66DUL));
        var diagnosticData = validation ?? train;
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        var fingerprint = Checkpoint.Fingerprint(Options, model, train.Count, validation?.Count ?? 0);
        Dictionary<string, Tensor>? bestWeights = null;
        var state = new TrainingProgressState { Fingerprint = fingerprint };
        if (Options.CheckpointPath is { } checkpointPath && File.Exists(checkpointPath))
        {
            (state, bestWeights) = Checkpoint.Restore(checkpointPath, model, optimizer, generator, noise, fingerprint);
        }

        try
        {
            var stoppedEarly = false;
            for (var epoch = state.CompletedEpochs; epoch < Options.Epochs && !stoppedEarly; epoch++)
            {
                var rate = Options.Schedule.RateAt(epoch, Options.Epochs, Options.LearningRate);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = rate;
                }

                var watch = Stopwatch.StartNew();
                var trainTerms = TrainEpoch(model, optimizer, parameters, train, generator, noise, inputShape, epoch, rate, cancellationToken);
                watch.Stop();

                var validationTerms = validation is null ? null : Evaluate(model, validation, inputShape, noise, epoch);
                var diagnostics = model.DiagnoseScaled(diagnosticData, DiagnosticSamples);
                var newWarnings = model.Warnings(diagnostics).Except(state.Warnings).ToArray();
                state.Warnings.AddRange(newWarnings);
                var trainLoss = trainTerms.Values.Sum();
                var validationLoss = validationTerms?.Values.Sum();
                var monitored = validationLoss ?? trainLoss;
                var improved = monitored < state.BestLoss - Options.MinDelta || state.BestEpoch == 0;
                if (improved)
                {
                    state.BestLoss = monitored;
                    state.BestEpoch = epoch + 1;
                    state.EpochsWithoutImprovement = 0;
                    if (validation is not null && Options.RestoreBestWeights)
                    {
                        DisposeAll(bestWeights);
                        bestWeights = Snapshot(model);
                    }
                }
                else
                {
                    state.EpochsWithoutImprovement++;
                }

                var report = new EpochReport(
                    epoch + 1,
                    Options.Epochs,
                    trainLoss,
                    trainTerms,
                    validationLoss,
                    validationTerms,
                    rate,
                    watch.Elapsed,
                    train.Count / Math.Max(watch.Elapsed.TotalSeconds, 1e-9),
                    improved,
                    diagnostics,
                    newWarnings);
                state.Reports.Add(report);
                state.CompletedEpochs = epoch + 1;
                stoppedEarly = Options.Patience is { } patience && state.EpochsWithoutImprovement >= patience && epoch + 1 < Options.Epochs;
                if (Options.CheckpointPath is { } path && (state.CompletedEpochs % Options.CheckpointEvery == 0 || state.CompletedEpochs == Options.Epochs || stoppedEarly))
                {
                    Checkpoint.Save(path, model, optimizer, generator, noise, bestWeights, state);
                }

                progress?.Report(report);
            }

            var restored = false;
            if (bestWeights is not null && state.BestEpoch != state.Reports.Count)
            {
                Restore(model, bestWeights);
                restored = true;
            }

            if (Options.CheckpointPath is { } finished)
            {
                File.Delete(finished);
            }

            return new TrainingHistory(state.Reports, state.BestEpoch, state.BestLoss, stoppedEarly, restored, threads, total.Elapsed, state.Warnings);
        }
        finally
        {
            DisposeAll(bestWeights);
            model.eval();
        }
    }

    private Dictionary<string, double> TrainEpoch(
        Autoencoder model,
        optim.Optimizer optimizer,
        Parameter[] parameters,
        InMemoryDataset train,
        torch.Generator generator,
        torch.Generator noise,
        long[] inputShape,
        int epoch,
        double rate,
        CancellationToken cancellationToken)
    {
        model.train();
        var context = new LossContext(noise, epoch, Options.Epochs);
        var sums = new Dictionary<string, double>();
        var batchIndex = 0;
        foreach (var rawBatch in train.Batches(Options.BatchSize, Options.Shuffle, generator))
        {
            using var scope = torch.NewDisposeScope();
            cancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            var batch = rawBatch.view([rawBatch.shape[0], .. inputShape]);
            optimizer.zero_grad();
            var terms = model.ComputeLoss(batch, context);
            var loss = terms.Total;
            var values = terms.Terms.Select(t => (t.Key, Value: t.Value.item<float>())).ToArray();
            if (!values.All(v => float.IsFinite(v.Value)) || !float.IsFinite(values.Sum(v => v.Value)))
            {
                throw Diverged(train, epoch + 1, batchIndex, values, rate);
            }

            loss.backward();
            if (Options.GradientClipNorm is { } maxNorm)
            {
                nn.utils.clip_grad_norm_(parameters, maxNorm);
            }

            optimizer.step();
            var size = batch.shape[0];
            foreach (var (name, value) in values)
            {
                sums[name] = sums.GetValueOrDefault(name) + ((double)value * size);
            }
        }

        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / train.Count);
    }

    private Dictionary<string, double> Evaluate(Autoencoder model, InMemoryDataset data, long[] inputShape, torch.Generator noise, int epoch)
    {
        var context = new LossContext(noise, epoch, Options.Epochs);
        model.eval();
        var sums = new Dictionary<string, double>();
        using (torch.no_grad())
        {
            foreach (var rawBatch in data.Batches(Math.Max(Options.BatchSize, 512), shuffle: false, generator: null))
            {
                using var scope = torch.NewDisposeScope();
                var batch = rawBatch.view([rawBatch.shape[0], .. inputShape]);
                foreach (var (name, value) in model.ComputeLoss(batch, context).Terms)
                {
                    sums[name] = sums.GetValueOrDefault(name) + ((double)value.item<float>() * batch.shape[0]);
                }
            }
        }

        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / data.Count);
    }

    private optim.Optimizer CreateOptimizer(Parameter[] parameters) => Options.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(parameters, Options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: Options.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, Options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: Options.WeightDecay),
        OptimizerKind.Sgd => optim.SGD(parameters, Options.LearningRate, momentum: Options.Momentum, weight_decay: Options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Options.Optimizer), Options.Optimizer, "Unknown optimizer."),
    };

    private static TrainingDivergedException Diverged(
        InMemoryDataset train, int epoch, int batch, (string Key, float Value)[] values, double rate)
    {
        var term = values.FirstOrDefault(v => !float.IsFinite(v.Value)).Key ?? LossTerms.Reconstruction;
        double largest;
        using (torch.NewDisposeScope())
        {
            largest = train.Features.abs().max().item<float>();
        }

        var cause = largest > 1e3
            ? $"The (scaled) training data reaches |x| = {largest:g3}: fit a StandardScaler or MinMaxScaler on the training data and set model.Scaler before training."
            : $"The training data is scaled (|x| ≤ {largest:g3}), so the learning rate ({rate:g3}) is the likely cause: lower it (1e-3 suits Adam), or set GradientClipNorm.";
        return new TrainingDivergedException(
            $"The loss became non-finite at epoch {epoch}, batch {batch}: term '{term}' is {values.First(v => v.Key == term).Value}. {cause}",
            epoch,
            batch,
            term);
    }

    private static Dictionary<string, Tensor> Snapshot(Autoencoder model)
    {
        using var noGrad = torch.no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    private static void Restore(Autoencoder model, Dictionary<string, Tensor> weights)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            tensor.copy_(weights[name]);
        }
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        foreach (var t in tensors?.Values ?? Enumerable.Empty<Tensor>())
        {
            t.Dispose();
        }
    }
}
