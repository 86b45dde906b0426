using System.Globalization;
using System.Text;
using Autoencoders.Cli;
using Autoencoders.Data;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Cli;

/// <summary>End-to-end runs of the <c>autoencoders</c> tool's commands on small temporary files.</summary>
public sealed class CliTests : IDisposable
{
    private const string Fast = "--epochs=3";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Help_lists_the_commands_with_examples_and_the_exit_codes()
    {
        var run = CliRun.Of("--help");
        run.ExitCode.Should().Be(ExitCodes.Ok);
        run.Output.Should().Contain("train").And.Contain("encode").And.Contain("reconstruct").And.Contain("detect")
            .And.Contain("score").And.Contain("inspect").And.Contain("Exit codes");

        var train = CliRun.Of("train", "--help");
        train.ExitCode.Should().Be(ExitCodes.Ok);
        train.Output.Should().Contain("Examples:").And.Contain("--preset").And.Contain("--latent");
    }

    [Fact]
    public void Usage_errors_exit_1()
    {
        CliRun.Of("frobnicate").ExitCode.Should().Be(ExitCodes.BadInput);
        CliRun.Of("train").ExitCode.Should().Be(ExitCodes.BadInput); // no data, no --output
        CliRun.Of("train", Csv("a.csv", Table(20, 4)), "-o", _folder.File("m.aemodel"), "--epochs", "many").ExitCode.Should().Be(ExitCodes.BadInput);
    }

    [Fact]
    public void Train_encode_reconstruct_and_inspect_a_csv_model()
    {
        var data = Csv("rows.csv", Table(120, 5));
        var model = _folder.File("rows.aemodel");

        var train = CliRun.Of("train", data, "-o", model, "--latent", "2", Fast);
        train.ExitCode.Should().Be(ExitCodes.Ok, train.Error);
        train.Output.Should().Contain("5 features → 2 codes").And.Contain("scaler standard");
        train.Error.Should().Contain("epoch 3/3");
        File.Exists(model).Should().BeTrue();

        var encode = CliRun.Of("encode", model, data);
        encode.ExitCode.Should().Be(ExitCodes.Ok, encode.Error);
        encode.OutputLines.Should().HaveCount(121);
        encode.OutputLines[0].Should().Be("z1,z2");
        encode.OutputLines[1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).Should().HaveCount(2);

        var codes = _folder.File("codes.csv");
        CliRun.Of("encode", model, data, "-o", codes).ExitCode.Should().Be(ExitCodes.Ok);
        File.ReadAllText(codes).Should().Be(encode.Output, "a file gets the same CSV as standard output");

        var reconstruct = CliRun.Of("reconstruct", model, data);
        reconstruct.ExitCode.Should().Be(ExitCodes.Ok, reconstruct.Error);
        reconstruct.OutputLines[0].Should().Be("f1,f2,f3,f4,f5");
        reconstruct.OutputLines.Should().HaveCount(121);

        var inspect = CliRun.Of("inspect", model);
        inspect.ExitCode.Should().Be(ExitCodes.Ok, inspect.Error);
        inspect.Output.Should().Contain("autoencoders-model version 1").And.Contain("application     reducer")
            .And.Contain("scaler          standard over 5 features").And.Contain("\"latent\": 2")
            .And.Contain("encoder.layers.linear0.weight").And.Contain("F32  [2, ");
    }

    [Fact]
    public void Detect_then_score_flags_the_corrupted_row_and_names_its_feature()
    {
        var normal = Csv("normal.csv", Table(300, 4));
        var fresh = Table(9, 4, seed: 99);
        fresh[4, 2] += 12; // row 5, feature f3
        var incoming = Csv("incoming.csv", fresh);
        var detector = _folder.File("detector.aemodel");

        var detect = CliRun.Of("detect", normal, "-o", detector, "--threshold", "std:3", "--epochs=15", "-q");
        detect.ExitCode.Should().Be(ExitCodes.Ok, detect.Error);
        detect.Output.Should().Contain("mean + 3·std");
        detect.Error.Should().NotContain("epoch", "--quiet silences progress");

        var score = CliRun.Of("score", detector, incoming, "--top", "1");
        score.ExitCode.Should().Be(ExitCodes.Ok, score.Error);
        score.OutputLines[0].Should().Be("row,score,anomaly,p_value,top_features");
        var row5 = score.OutputLines[5].Split(',');
        row5[0].Should().Be("5");
        row5[2].Should().Be("true");
        row5[4].Should().StartWith("f3 ");
        score.Error.Should().MatchRegex("[1-9] of 9 samples flagged");

        var inspect = CliRun.Of("inspect", detector);
        inspect.Output.Should().Contain("anomaly-detector").And.Contain("threshold_rule");
    }

    [Fact]
    public void An_idx_file_of_images_trains_a_convolutional_model()
    {
        var images = _folder.File("images-idx3-ubyte.gz");
        var random = new Random(3);
        var pixels = new byte[24 * 8 * 8];
        random.NextBytes(pixels);
        IdxWriter.Write(images, pixels, [24, 8, 8], gzip: true);
        var model = _folder.File("images.aemodel");

        var train = CliRun.Of("train", images, "-o", model, "--preset", "conv", "--channels", "4,8", "--latent", "3", "--epochs=1", "--validation=0");
        train.ExitCode.Should().Be(ExitCodes.Ok, train.Error);
        train.Error.Should().Contain("24 samples of shape [1, 8, 8]").And.Contain("divided by 255");
        train.Output.Should().Contain("convolutional autoencoder, 64 features → 3 codes");

        var encode = CliRun.Of("encode", model, images);
        encode.ExitCode.Should().Be(ExitCodes.Ok, encode.Error);
        encode.OutputLines.Should().HaveCount(25);
    }

    [Fact]
    public void Bad_input_exits_1_with_a_message_that_says_what_is_wrong()
    {
        var missing = CliRun.Of("train", _folder.File("nope.csv"), "-o", _folder.File("m.aemodel"));
        missing.ExitCode.Should().Be(ExitCodes.BadInput);
        missing.Error.Should().Contain("nope.csv").And.Contain("does not exist");

        var broken = _folder.File("broken.csv");
        File.WriteAllText(broken, "a,b\n1,2\n3,x\n");
        var malformed = CliRun.Of("train", broken, "-o", _folder.File("m.aemodel"));
        malformed.ExitCode.Should().Be(ExitCodes.BadInput);
        malformed.Error.Should().Contain("line 3, column 2 ('b')");

        var notAModel = CliRun.Of("inspect", broken);
        notAModel.ExitCode.Should().Be(ExitCodes.BadInput);
        notAModel.Error.Should().Contain("not a model file");

        var conv = CliRun.Of("train", Csv("t.csv", Table(20, 3)), "-o", _folder.File("m.aemodel"), "--preset", "conv");
        conv.ExitCode.Should().Be(ExitCodes.BadInput);
        conv.Error.Should().Contain("needs images");

        var threshold = CliRun.Of("detect", Csv("t2.csv", Table(20, 3)), "-o", _folder.File("d.aemodel"), "--threshold", "fpr:lots");
        threshold.ExitCode.Should().Be(ExitCodes.BadInput);
        threshold.Error.Should().Contain("fpr:lots");
    }

    [Fact]
    public void The_default_false_positive_rate_on_too_few_rows_exits_1_and_says_how_many_rows_are_needed()
    {
        var normal = Csv("small.csv", Table(95, 64));
        var path = _folder.File("small.aemodel");

        var detect = CliRun.Of("detect", normal, "-o", path, "-q");

        detect.ExitCode.Should().Be(ExitCodes.BadInput);
        detect.Error.Should().Contain("A false-positive rate of 0.01 needs at least 99 held-out clean rows").And.Contain("leaves n = 19")
            .And.Contain("smallest achievable rate is 1/(n + 1) = 0.05").And.Contain("at least 493 clean rows");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void A_conformal_detector_flags_by_threshold_or_by_false_discovery_rate_and_p_values_agree_with_the_threshold()
    {
        var normal = Csv("normal.csv", Table(300, 4));
        var fresh = Table(40, 4, seed: 98);
        for (var i = 0; i < 5; i++)
        {
            fresh[i, 1] += 8;
        }

        var incoming = Csv("incoming.csv", fresh);
        var detector = _folder.File("detector.aemodel");

        var detect = CliRun.Of("detect", normal, "-o", detector, "--threshold", "fpr:0.05", "--epochs=15", "-q");
        detect.ExitCode.Should().Be(ExitCodes.Ok, detect.Error);
        detect.Output.Should().Contain("false-positive rate ≤ 0.05, split-conformal on 60 held-out clean samples");
        detect.Error.Should().NotContain("warning");

        var byThreshold = CliRun.Of("score", detector, incoming, "--top", "0");
        byThreshold.ExitCode.Should().Be(ExitCodes.Ok, byThreshold.Error);
        foreach (var line in byThreshold.OutputLines.Skip(1))
        {
            var cells = line.Split(',');
            (double.Parse(cells[3], CultureInfo.InvariantCulture) <= 0.05).Should().Be(cells[2] == "true", line);
        }

        var byFdr = CliRun.Of("score", detector, incoming, "--top", "0", "--fdr", "0.1");
        byFdr.ExitCode.Should().Be(ExitCodes.Ok, byFdr.Error);
        byFdr.Error.Should().Contain("Benjamini–Hochberg at a false discovery rate of 0.1 on 60 calibration scores");
        byFdr.OutputLines.Skip(1).Take(5).Should().OnlyContain(l => l.Split(',')[2] == "true", "the five shifted rows are found");

        CliRun.Of("score", detector, incoming, "--fdr", "2").ExitCode.Should().Be(ExitCodes.BadInput);
    }

    [Fact]
    public void Thresholds_resting_on_fewer_than_20_scores_are_reported_as_warnings()
    {
        var detector = _folder.File("tiny.aemodel");

        var detect = CliRun.Of("detect", Csv("tiny.csv", Table(12, 4)), "-o", detector, "--threshold", "contamination:0.1", "--epochs=2", "-q");

        detect.ExitCode.Should().Be(ExitCodes.Ok, detect.Error);
        detect.Error.Should().Contain("warning: The threshold (contamination 0.1) and the p-values rest on only 12 calibration scores");
        CliRun.Of("score", detector, Csv("more.csv", Table(3, 4))).Error.Should().Contain("warning: The threshold (contamination 0.1)");
    }

    [Fact]
    public void A_model_refuses_data_with_other_features()
    {
        var model = _folder.File("m.aemodel");
        CliRun.Of("train", Csv("four.csv", Table(40, 4)), "-o", model, "--epochs=1", "-q").ExitCode.Should().Be(ExitCodes.Ok);
        var run = CliRun.Of("encode", model, Csv("three.csv", Table(5, 3)));
        run.ExitCode.Should().Be(ExitCodes.BadInput);
        run.Error.Should().Contain("takes 4 features").And.Contain("has 3");
    }

    /// <summary>Rows on a two-factor plane in <paramref name="features"/> dimensions, plus a little noise.</summary>
    private static float[,] Table(int rows, int features, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[rows, features];
        for (var i = 0; i < rows; i++)
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1;
            for (var j = 0; j < features; j++)
            {
                values[i, j] = (float)((Math.Sin(j + 1) * a) + (Math.Cos(j + 1) * b) + (0.02 * random.NextDouble()));
            }
        }

        return values;
    }

    private string Csv(string name, float[,] values)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Enumerable.Range(1, values.GetLength(1)).Select(j => $"f{j}")));
        for (var i = 0; i < values.GetLength(0); i++)
        {
            text.AppendLine(string.Join(',', Enumerable.Range(0, values.GetLength(1)).Select(j => values[i, j].ToString("R", CultureInfo.InvariantCulture))));
        }

        var path = _folder.File(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
