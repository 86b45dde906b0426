using Autoencoders.Data;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Data.TimeSeries;

public sealed class SeriesCsvReaderTests
{
    private static SeriesTable Read(string text, string? timestampColumn = null, IReadOnlyList<string>? valueColumns = null) =>
        new SeriesCsvReader(new StringReader(text), timestampColumn, valueColumns).ReadToEnd();

    [Fact]
    public void Timestamps_values_and_missing_cells_are_read_in_row_order()
    {
        var table = Read("\nTime;\"temperature\";pressure\n2024-03-01 00:00:00; 20.5 ;1e3\n\n2024-03-01T01:00:00Z;;NA\n2024-03-01 02:00:00;\"21\";null\n");

        table.ChannelNames.Should().Equal("temperature", "pressure");
        table.Timestamps.Should().Equal(new DateTime(2024, 3, 1, 0, 0, 0), new DateTime(2024, 3, 1, 1, 0, 0), new DateTime(2024, 3, 1, 2, 0, 0));
        table.Values.Should().BeEquivalentTo(new float[,] { { 20.5f, 1000 }, { float.NaN, float.NaN }, { 21, float.NaN } });
    }

    [Fact]
    public void Named_columns_choose_and_order_the_channels_and_an_empty_timestamp_name_means_none()
    {
        var text = "step,a,b,c\n1,10,20,30\n2,11,21,31\n";

        var chosen = Read(text, timestampColumn: string.Empty, valueColumns: ["c", "A"]);
        chosen.Timestamps.Should().BeNull();
        chosen.ChannelNames.Should().Equal("c", "a");
        chosen.Values.Should().BeEquivalentTo(new float[,] { { 30, 10 }, { 31, 11 } });

        Read(text, timestampColumn: string.Empty).ChannelNames.Should().Equal("step", "a", "b", "c");
    }

    [Fact]
    public void Rows_arrive_one_at_a_time_with_their_line_numbers()
    {
        var reader = new SeriesCsvReader(new StringReader("timestamp,v\n2024-03-01 00:00:00,1\n\n2024-03-01 00:05:00,2\n"));

        reader.TryRead(out var first).Should().BeTrue();
        reader.TryRead(out var second).Should().BeTrue();
        reader.TryRead(out _).Should().BeFalse();
        (first.Line, first.Values[0], second.Line, second.Values[0]).Should().Be((2, 1f, 4, 2f));
        second.Timestamp.Should().Be(new DateTime(2024, 3, 1, 0, 5, 0));
    }

    [Theory]
    [InlineData("", "is empty: a series CSV starts with a header")]
    [InlineData("timestamp\n2024-03-01,1\n", "has no value column")]
    [InlineData("timestamp,v\n", "has a header but no rows")]
    [InlineData("timestamp,v\n2024-03-01 00:00:00,1\n2024-03-01 01:00:00,1,7\n", "line 3: 3 cells where the header names 2 columns")]
    [InlineData("timestamp,v\n2024-03-01 00:00:00,1\nyesterday,2\n", "line 3, column 'timestamp': 'yesterday' is not a timestamp")]
    [InlineData("timestamp,v\n2024-03-01 00:00:00,3,25\n", "line 2: 3 cells")]
    [InlineData("timestamp,v\n2024-03-01 00:00:00,Infinity\n", "line 2, column 'v': 'Infinity' is not a finite number")]
    [InlineData("timestamp,v\n2024-03-01 00:00:00,3.2.1\n", "line 2, column 'v': '3.2.1' is not a finite number")]
    public void Every_problem_names_the_line_and_the_column(string text, string expected)
    {
        var act = () => Read(text);

        act.Should().Throw<InvalidDataException>().WithMessage($"The CSV text*{expected}*");
    }

    [Fact]
    public void A_column_that_is_not_there_is_named_with_the_columns_that_are()
    {
        var text = "timestamp,temperature,pressure\n2024-03-01,1,2\n";

        FluentActions.Invoking(() => Read(text, valueColumns: ["flow"])).Should().Throw<InvalidDataException>()
            .WithMessage("*has no value column 'flow'; its columns are 'timestamp', 'temperature', 'pressure'*");
        FluentActions.Invoking(() => Read(text, timestampColumn: "when")).Should().Throw<InvalidDataException>()
            .WithMessage("*has no timestamp column 'when'*");
        FluentActions.Invoking(() => Read(text, valueColumns: ["timestamp"])).Should().Throw<InvalidDataException>()
            .WithMessage("*column 'timestamp' cannot be both the timestamp and a value*");
    }

    [Fact]
    public void A_file_is_named_in_its_messages()
    {
        using var folder = new TempFolder();
        var path = folder.File("feed.csv");
        File.WriteAllText(path, "timestamp,v\n2024-03-01 00:00:00,x\n");

        FluentActions.Invoking(() => SeriesCsvReader.Read(path)).Should().Throw<InvalidDataException>()
            .WithMessage($"The CSV file '{path}', line 2, column 'v': 'x' is not a finite number*");
    }
}
