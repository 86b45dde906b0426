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
/// and minimises their sum; it never looks at which variant it is training. Everything else a run does
/// is a <see cref="TrainingCallback"/>: the options switch on built-in ones (schedule, NaN/∞ guard,
/// failure-mode warnings, best-weight restore, early stopping, checkpoints) and you may add your own.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(new TrainerOptions { Epochs = 30, Patience = 5, ValidationFraction = 0.1 });
/// TrainingHistory history = trainer.Fit(model, train, progress: new Progress&lt;EpochReport&gt;(Console.WriteLine),
///     callbacks: [new CsvLogger("history.csv"), new StopCondition(r =&gt; r.ValidationLoss &lt; 0.05)]);
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
    /// scaler, if set, is applied to every batch). Each step runs in its own dispose scope, so native
    /// memory stays flat however long the run; a streamed source keeps its own memory bounded too.
    /// Training runs on the model's <see cref="Autoencoder.Device"/>: each batch is moved there (after
    /// scaling, on the CPU), and the optimiser's state and the noise generator live there.
    /// </summary>
    /// <param name="model">The model to train in place.</param>
    /// <param name="train">The training data, in memory or streamed; its sample shape must match the model's input.</param>
    /// <param name="validation">Held-out data for early stopping and best-weight restore; when null,
    /// <see cref="TrainerOptions.ValidationFraction"/> of <paramref name="train"/> is held out
    /// (<see cref="DataSource.Split"/>: a stream is split by a mask and read again for validation).</param>
    /// <param name="progress">Receives a report after every epoch, after the callbacks.</param>
    /// <param name="callbacks">
    /// Your callbacks for this run, called after the built-in ones in the order given (see
    /// <see cref="TrainingCallback"/>). They are a parameter of the run, like <paramref name="progress"/>,
    /// rather than options: a callback holds the state of one run (a log file, a counter), while
    /// <see cref="TrainerOptions"/> stays plain settings that compare, print and fingerprint a checkpoint.
    /// </param>
    /// <param name="cancellationToken">Stops training between two steps; the model keeps its current weights.</param>
    /// <exception cref="TrainingDivergedException">A loss term became NaN or infinite.</exception>
    /// <exception cref="TrainingCallbackException">One of <paramref name="callbacks"/> threw.</exception>
    /// <exception cref="DataSourceException">
    /// A streamed sample could not be read; the message says where, and the model keeps the weights of its
    /// last good step (a run with <see cref="TrainerOptions.CheckpointPath"/> resumes from its checkpoint).
    /// </exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public TrainingHistory Fit(
        Autoencoder model,
        DataSource train,
        DataSource? validation = null,
        IProgress<EpochReport>? progress = null,
        IEnumerable<TrainingCallback>? callbacks = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        var callbackList = new CallbackList(BuiltInCallbacks(Options), callbacks);
        TorchRuntime.EnsureAvailable();
        model.ThrowIfOnMeta("be trained");
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
            var (trainSet, validationSet) = PrepareData(train, validation, owned);
            return Run(model, trainSet, validationSet, threads, callbackList, progress, cancellationToken);
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

    private (DataSource Train, DataSource? Validation) PrepareData(DataSource train, DataSource? validation, List<IDisposable> owned)
    {
        if (validation is null && Options.ValidationFraction > 0)
        {
            var split = train.Split(Options.ValidationFraction, Options.Seed);
            owned.Add(split.Train);
            owned.Add(split.Validation);
            (train, validation) = split;
        }

        return (train, validation);
    }

    /// <summary>
    /// A batch in the model's space: the model's scaler applied (on the CPU, where the data is), shaped like
    /// its input, on the model's device.
    /// </summary>
    internal static Tensor ModelBatch(Autoencoder model, Tensor raw, long[] inputShape)
    {
        var scaled = model.Scaler is { } scaler ? scaler.Transform(raw) : raw;
        return scaled.view([raw.shape[0], .. inputShape]).to(model.Device);
    }

    /// <summary>
    /// The built-in callbacks <paramref name="options"/> ask for, in the order they run: the schedule,
    /// the NaN/∞ guard, the failure-mode warnings, best-weight restore, early stopping and checkpoints
    /// (last, so that a checkpoint holds the others' decisions).
    /// </summary>
    internal static IReadOnlyList<TrainingCallback> BuiltInCallbacks(TrainerOptions options)
    {
        var callbacks = new List<TrainingCallback>();
        if (options.Schedule != LearningRateSchedule.Constant)
        {
            callbacks.Add(new LearningRateScheduler(options.Schedule));
        }

        callbacks.Add(new DivergenceGuard());
        callbacks.Add(new FailureModeWarnings());
        if (options.RestoreBestWeights)
        {
            callbacks.Add(new BestWeightsRestore());
        }

        if (options.Patience is { } patience)
        {
            callbacks.Add(new EarlyStopping(patience));
        }

        if (options.CheckpointPath is { } path)
        {
            callbacks.Add(new Checkpointing(path, options.CheckpointEvery));
        }

        return callbacks;
    }

    private TrainingHistory Run(
        Autoencoder model,
        DataSource train,
        DataSource? validation,
        int threads,
        CallbackList callbacks,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var parameters = model.parameters().ToArray();
        using var optimizer = CreateOptimizer(parameters);
        using var generator = new torch.Generator(unchecked((ulong)Options.Seed));

        // Corruption and sampling draw from their own stream, derived from the same seed, so that
        // adding noise to a model does not change the order its data is shuffled in. The data is
        // shuffled on the CPU; noise is drawn where the batches are, from a generator of that device.
        using var noise = new torch.Generator(unchecked((ulong)Options.Seed ^ 0x5DEECE66DUL), model.Device);
        var state = new TrainingProgressState { Fingerprint = Checkpoint.Fingerprint(Options, model, train.DeclaredCount, validation is null ? 0 : validation.DeclaredCount) };
        var context = new TrainingContext(model, Options, optimizer, generator, noise, train, validation, state);
        try
        {
            callbacks.TrainBegin(context);
            for (var epoch = context.State.CompletedEpochs; epoch < Options.Epochs && context.StopReason is null; epoch++)
            {
                callbacks.EpochBegin(context, epoch + 1);
                var report = RunEpoch(context, callbacks, parameters, epoch, cancellationToken);
                callbacks.EpochEnd(context, report);
                progress?.Report(report);
            }

            callbacks.TrainEnd(context);
            var done = context.State;
            var stoppedEarly = done.StopReason is not null && done.CompletedEpochs < Options.Epochs;
            return new TrainingHistory(done.Reports, done.BestEpoch, done.BestLoss, stoppedEarly, context.RestoredBestWeights, threads, total.Elapsed, done.Warnings)
            {
                StopReason = stoppedEarly ? done.StopReason : null,
            };
        }
        finally
        {
            context.ReplaceBestWeights(null);
            model.eval();
        }
    }

    /// <summary>Trains, validates and diagnoses one epoch and records its report.</summary>
    private EpochReport RunEpoch(TrainingContext context, CallbackList callbacks, Parameter[] parameters, int epoch, CancellationToken cancellationToken)
    {
        var (model, train, validation, state) = (context.Model, context.Train, context.Validation, context.State);
        var rate = context.LearningRate;
        var watch = Stopwatch.StartNew();
        var (trainTerms, samples) = TrainEpoch(context, callbacks, parameters, epoch, cancellationToken);
        watch.Stop();

        Dictionary<string, double>? validationTerms;
        IReadOnlyDictionary<string, double> diagnostics;
        try
        {
            validationTerms = validation is null ? null : Evaluate(model, validation, context.Noise, epoch);
            diagnostics = model.Diagnose(validation ?? train, DiagnosticSamples);
        }
        catch (DataSourceException e)
        {
            throw e.WithContext(
                $"Training stopped while validating after epoch {epoch + 1}: the model holds the weights at the end of that epoch; " +
                "a run with TrainerOptions.CheckpointPath resumes from its last checkpoint.");
        }

        var newWarnings = callbacks.Warnings(context, diagnostics);
        state.Warnings.AddRange(newWarnings);
        var trainLoss = trainTerms.Values.Sum();
        var validationLoss = validationTerms?.Values.Sum();
        var improved = RecordMonitoredLoss(state, validationLoss ?? trainLoss, epoch);
        var report = new EpochReport(
            epoch + 1,
            Options.Epochs,
            trainLoss,
            trainTerms,
            validationLoss,
            validationTerms,
            rate,
            watch.Elapsed,
            samples / Math.Max(watch.Elapsed.TotalSeconds, 1e-9),
            improved,
            diagnostics,
            newWarnings);
        state.Reports.Add(report);
        state.CompletedEpochs = epoch + 1;
        return report;
    }

    /// <summary>
    /// Tracks the best monitored loss (the validation loss when there is validation data): whether this
    /// epoch improved on it by more than <see cref="TrainerOptions.MinDelta"/>, and for how long it has not.
    /// </summary>
    private bool RecordMonitoredLoss(TrainingProgressState state, double monitored, int epoch)
    {
        var improved = monitored < state.BestLoss - Options.MinDelta || state.BestEpoch == 0;
        if (improved)
        {
            state.BestLoss = monitored;
            state.BestEpoch = epoch + 1;
            state.EpochsWithoutImprovement = 0;
        }
        else
        {
            state.EpochsWithoutImprovement++;
        }

        return improved;
    }

    private (Dictionary<string, double> Terms, long Samples) TrainEpoch(
        TrainingContext context,
        CallbackList callbacks,
        Parameter[] parameters,
        int epoch,
        CancellationToken cancellationToken)
    {
        var (model, train) = (context.Model, context.Train);
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        model.train();
        var lossContext = new LossContext(context.Noise, epoch, Options.Epochs);
        var sums = new Dictionary<string, double>();
        var batchIndex = 0;
        long samples = 0;
        try
        {
            foreach (var rawBatch in train.Batches(Options.BatchSize, Options.Shuffle, context.Shuffle))
            {
                using var scope = torch.NewDisposeScope();
                using var raw = rawBatch;
                cancellationToken.ThrowIfCancellationRequested();
                batchIndex++;
                samples += Step(context, callbacks, parameters, epoch, batchIndex, ModelBatch(model, raw, inputShape), lossContext, sums);
            }
        }
        catch (DataSourceException e)
        {
            throw e.WithContext(
                $"Training stopped in epoch {epoch + 1} after {batchIndex} batch{(batchIndex == 1 ? string.Empty : "es")}: the bad sample reached no batch, " +
                "the model holds the weights of its last good step, and a run with TrainerOptions.CheckpointPath resumes from its last checkpoint.");
        }

        return (sums.ToDictionary(kv => kv.Key, kv => kv.Value / samples), samples);
    }

    /// <summary>One optimisation step on a batch in the model's space; returns its size.</summary>
    private long Step(
        TrainingContext context,
        CallbackList callbacks,
        Parameter[] parameters,
        int epoch,
        int batchIndex,
        Tensor batch,
        LossContext lossContext,
        Dictionary<string, double> sums)
    {
        var (model, optimizer) = (context.Model, context.Optimizer);
        var size = batch.shape[0];
        optimizer.zero_grad();
        var terms = model.ComputeLoss(batch, lossContext);
        var loss = terms.Total;

        // One read-back per term: the callbacks (the NaN/∞ guard) and the epoch means share it.
        var values = new KeyValuePair<string, float>[terms.Terms.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new(terms.Terms[i].Key, terms.Terms[i].Value.item<float>());
        }

        callbacks.BatchLoss(context, new BatchLoss(epoch + 1, batchIndex, (int)size, values));
        loss.backward();
        if (Options.GradientClipNorm is { } maxNorm)
        {
            nn.utils.clip_grad_norm_(parameters, maxNorm);
        }

        optimizer.step();
        foreach (var (name, value) in values)
        {
            sums[name] = sums.GetValueOrDefault(name) + ((double)value * size);
        }

        return size;
    }

    private Dictionary<string, double> Evaluate(Autoencoder model, DataSource data, torch.Generator noise, int epoch)
    {
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        var context = new LossContext(noise, epoch, Options.Epochs);
        model.eval();
        var sums = new Dictionary<string, double>();
        long samples = 0;
        using (torch.no_grad())
        {
            foreach (var rawBatch in data.Batches(Math.Max(Options.BatchSize, 512), shuffle: false, generator: null))
            {
                using var scope = torch.NewDisposeScope();
                using var raw = rawBatch;
                var batch = ModelBatch(model, raw, inputShape);
                foreach (var (name, value) in model.ComputeLoss(batch, context).Terms)
                {
                    sums[name] = sums.GetValueOrDefault(name) + ((double)value.item<float>() * batch.shape[0]);
                }

                samples += batch.shape[0];
            }
        }

        return sums.ToDictionary(kv => kv.Key, kv => kv.Value / samples);
    }

    private optim.Optimizer CreateOptimizer(Parameter[] parameters) => Options.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(parameters, Options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: Options.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, Options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: Options.WeightDecay),
        OptimizerKind.Sgd => optim.SGD(parameters, Options.LearningRate, momentum: Options.Momentum, weight_decay: Options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Options.Optimizer), Options.Optimizer, "Unknown optimizer."),
    };
}
