using Autoencoders.Data;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Data;

public class CsvReaderTests
{
    private static CsvTable Parse(string text, bool? hasHeader = null, char? separator = null) =>
        CsvReader.Read(new StringReader(text), hasHeader, separator);

    [Fact]
    public void Header_and_commas_are_detected()
    {
        var table = Parse("temperature, pressure ,flow\n1.5,2,-3e-1\n4,5.25,6\n");
        table.ColumnNames.Should().Equal("temperature", "pressure", "flow");
        table.Values.Should().BeEquivalentTo(new float[,] { { 1.5f, 2f, -0.3f }, { 4f, 5.25f, 6f } });
        table.RowCount.Should().Be(2);
        table.ColumnCount.Should().Be(3);
    }

    [Fact]
    public void Semicolons_are_detected_and_numbers_use_the_invariant_culture()
    {
        var table = Parse("a;b\r\n1.25;2\r\n3;4.5\r\n");
        table.ColumnNames.Should().Equal("a", "b");
        table.Values[0, 0].Should().Be(1.25f);
        table.Values[1, 1].Should().Be(4.5f);
    }

    [Fact]
    public void A_file_without_a_header_gets_numbered_column_names()
    {
        var table = Parse("1,2\n3,4\n");
        table.ColumnNames.Should().Equal("column 1", "column 2");
        table.RowCount.Should().Be(2);
    }

    [Fact]
    public void Quoted_names_blank_lines_and_a_declared_header_are_handled()
    {
        var table = Parse("\"x\",\"y\"\n\n1,2\n\n", hasHeader: true);
        table.ColumnNames.Should().Equal("x", "y");
        table.RowCount.Should().Be(1);

        var numericHeader = Parse("10,20\n1,2\n", hasHeader: true);
        numericHeader.ColumnNames.Should().Equal("10", "20");
        numericHeader.RowCount.Should().Be(1);
    }

    [Fact]
    public void A_non_numeric_cell_is_named_by_line_and_column()
    {
        var act = () => Parse("a,b,c\n1,2,3\n4,oops,6\n");
        act.Should().Throw<InvalidDataException>()
            .WithMessage("*line 3, column 2 ('b')*'oops'*not a finite number*");
    }

    [Fact]
    public void Empty_cells_and_non_finite_values_are_refused_with_their_place()
    {
        var empty = () => Parse("a,b\n1,\n");
        empty.Should().Throw<InvalidDataException>().WithMessage("*line 2, column 2 ('b') is empty*");

        var nan = () => Parse("a,b\n1,2\nNaN,2\n");
        nan.Should().Throw<InvalidDataException>().WithMessage("*line 3, column 1 ('a')*'NaN'*");
    }

    [Fact]
    public void Ragged_rows_are_refused_with_their_line()
    {
        var act = () => Parse("a,b,c\n1,2,3\n\n4,5\n");
        act.Should().Throw<InvalidDataException>().WithMessage("*ragged: line 4 has 2 cells, but line 1 has 3*");
    }

    [Fact]
    public void Empty_input_and_a_header_without_rows_are_refused()
    {
        var empty = () => Parse("\n  \n");
        empty.Should().Throw<InvalidDataException>().WithMessage("*empty*");

        var headerOnly = () => Parse("a,b\n");
        headerOnly.Should().Throw<InvalidDataException>().WithMessage("*header (line 1) but no data rows*");
    }

    [Fact]
    public void Files_are_read_and_named_in_errors()
    {
        using var folder = new TempFolder();
        var path = folder.File("data.csv");
        File.WriteAllText(path, "a;b\n1;2\n3;x\n");
        var act = () => CsvReader.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage($"*'{path}'*line 3, column 2*");

        File.WriteAllText(path, "a;b\n1;2\n");
        CsvReader.Read(path).Values.Should().BeEquivalentTo(new float[,] { { 1, 2 } });
    }

    [Fact]
    public void Another_separator_is_refused()
    {
        var act = () => Parse("1\t2\n", separator: '\t');
        act.Should().Throw<ArgumentException>().WithMessage("*',' or ';'*");
    }
}
