using System.IO.Compression;
using Autoencoders.Evaluation;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Evaluation;

public sealed class NabFileFormatTests
{
    [Fact]
    public void A_series_csv_reads_as_timestamps_and_values()
    {
        var series = NabSeries.Read(new StringReader("timestamp,value\n2014-04-01 00:00:00,18.62\n2014-04-01 00:05:00,-3e-2\n"));

        series.Timestamps.Should().Equal(new DateTime(2014, 4, 1, 0, 0, 0), new DateTime(2014, 4, 1, 0, 5, 0));
        series.Values.Should().Equal(18.62, -0.03);
    }

    [Fact]
    public void Rows_keep_their_file_order_where_timestamps_repeat_as_in_nabs_real_files()
    {
        var series = NabSeries.Read(new StringReader(
            "timestamp,value\n2014-03-09 01:56:00,1\n2014-03-09 03:00:00,2\n2014-03-09 03:00:00,3\n2014-03-09 03:05:00,4\n"));
        var moment = new DateTime(2014, 3, 9, 3, 0, 0);

        var file = new NabFile("f.csv", series, [new NabWindow(moment, moment)]);

        series.Values.Should().Equal(1, 2, 3, 4);
        file.WindowRows[0].Should().Be(1..3);
    }

    [Theory]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n01/04/2014 00:05,2\n", "*line 3*timestamp*")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,NaN\n", "*line 3*'value'*not a finite number*")]
    [InlineData("timestamp,value\n2014-04-01 00:00:00,1,7\n", "*line 2*3 cells*")]
    [InlineData("time,reading\n2014-04-01 00:00:00,1\n", "*no 'timestamp' column*")]
    [InlineData("timestamp,value\n", "*no data rows*")]
    public void A_bad_series_csv_is_refused_naming_the_line(string csv, string message)
    {
        ((Action)(() => NabSeries.Read(new StringReader(csv)))).Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void A_results_csv_is_read_by_column_name_and_may_be_gzipped()
    {
        const string Csv = "timestamp,value,anomaly_score,raw_score,label,S(t)_standard\n"
                         + "2014-04-01 00:00:00,20.0,0.0301029996659,1.0,0,0.0\n"
                         + "2014-04-01 00:05:00,20.0,0.5,0.0,1,0.0\n";
        using var folder = new TempFolder();
        var path = folder.File("detector_file.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
        {
            writer.Write(Csv);
        }

        var results = NabResults.Read(path);

        results.AnomalyScores.Should().Equal(0.0301029996659, 0.5);
        results.Timestamps.Should().HaveCount(2);
        NabResults.Read(new StringReader(Csv)).AnomalyScores.Should().Equal(results.AnomalyScores);
    }

    [Fact]
    public void The_windows_json_maps_files_to_inclusive_timestamp_pairs()
    {
        var windows = NabWindows.Parse("""
            {
              "artificialNoAnomaly/art_flatline.csv": [],
              "realKnownCause\\rogue_agent_key_hold.csv": [
                ["2014-07-15 04:35:00.000000", "2014-07-15 13:25:00.000000"],
                ["2014-07-17 05:50:00.000000", "2014-07-18 06:45:00.000000"]
              ]
            }
            """);

        windows["artificialNoAnomaly/art_flatline.csv"].Should().BeEmpty();
        windows["realKnownCause/rogue_agent_key_hold.csv"].Should().Equal(
            new NabWindow(new DateTime(2014, 7, 15, 4, 35, 0), new DateTime(2014, 7, 15, 13, 25, 0)),
            new NabWindow(new DateTime(2014, 7, 17, 5, 50, 0), new DateTime(2014, 7, 18, 6, 45, 0)));
    }

    [Theory]
    [InlineData("""{ "a.csv": [["2014-07-15 04:35:00", "2014-07-14 00:00:00"]] }""", "*window 1 of 'a.csv' ends*before it starts*")]
    [InlineData("""{ "a.csv": [["2014-07-15 04:35:00"]] }""", "*window 1 of 'a.csv'*pair*")]
    [InlineData("""{ "a.csv": [["2014-07-15 04:35:00", "later"]] }""", "*'later' is not a timestamp*")]
    [InlineData("""[]""", "*must be a JSON object*")]
    [InlineData("""{ "a.csv": [""", "*not valid JSON*")]
    public void A_bad_windows_json_is_refused_with_the_reason(string json, string message)
    {
        ((Action)(() => NabWindows.Parse(json))).Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Profiles_read_from_nabs_cost_matrix_format()
    {
        var profiles = NabProfile.Parse("""{ "mine": { "CostMatrix": { "tpWeight": 2.0, "fnWeight": 0.5, "fpWeight": 0.05, "tnWeight": 1.0 } } }""");

        profiles.Should().Equal(new NabProfile("mine", 2.0, 0.05, 0.5));
        ((Action)(() => NabProfile.Parse("""{ "mine": { "CostMatrix": { "tpWeight": 1.0, "fnWeight": 1.0 } } }""")))
            .Should().Throw<InvalidDataException>().WithMessage("*'mine'*\"fpWeight\"*");
        ((Action)(() => NabProfile.Parse("""{ "mine": { "CostMatrix": { "tpWeight": 0, "fnWeight": 1.0, "fpWeight": 1.0 } } }""")))
            .Should().Throw<InvalidDataException>().WithMessage("*true-positive weight must be a positive number*");
    }

    [Fact]
    public void A_corpus_folder_loads_and_its_results_must_match_the_data_row_by_row()
    {
        using var folder = new TempFolder();
        Write(folder.File("labels/combined_windows.json"), """{ "cat/x.csv": [["2020-01-01 00:10:00.000000", "2020-01-01 00:15:00.000000"]] }""");
        Write(folder.File("data/cat/x.csv"), Csv("timestamp,value", i => $"{Timestamp(i)},{i}"));
        Write(folder.File("results/det/cat/det_x.csv"), Csv("timestamp,value,anomaly_score", i => $"{Timestamp(i)},{i},{(i == 2 ? 1 : 0)}"));
        Write(folder.File("results/bad/cat/bad_x.csv"), Csv("timestamp,value,anomaly_score", i => $"{Timestamp(i == 9 ? 10 : i)},{i},0"));

        var corpus = NabCorpus.Load(folder.Path);
        var scores = corpus.ReadResults(folder.File("results/det"), "det");

        corpus.Files.Single().WindowRows.Should().Equal(2..4);
        scores["cat/x.csv"].Should().HaveCount(20);
        ((Action)(() => corpus.ReadResults(folder.File("results/bad"), "bad"))).Should().Throw<InvalidDataException>().WithMessage("*row 10*");
        ((Action)(() => corpus.ReadResults(folder.File("results/none"), "none"))).Should().Throw<FileNotFoundException>().WithMessage("*no results for 'cat/x.csv'*");

        File.Delete(folder.File("data/cat/x.csv"));
        ((Action)(() => NabCorpus.Load(folder.Path))).Should().Throw<FileNotFoundException>().WithMessage("*names 'cat/x.csv'*no data file*");
    }

    private static string Timestamp(int i) => new DateTime(2020, 1, 1).AddMinutes(5 * i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static string Csv(string header, Func<int, string> row) => string.Join("\n", Enumerable.Range(0, 20).Select(row).Prepend(header)) + "\n";

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
