using Autoencoders.Data;
using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Data;

public class InMemoryDatasetTests
{
    /// <summary>N rows of F features where feature 0 of row i is i (so rows can be identified).</summary>
    private static float[,] Numbered(int n, int f)
    {
        var rows = new float[n, f];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < f; j++)
            {
                rows[i, j] = j == 0 ? i : i * 10 + j * 0.5f;
            }
        }

        return rows;
    }

    private static long[] RowIds(Tensor batch) => batch.reshape(batch.shape[0], -1).select(1, 0).to_type(ScalarType.Int64).data<long>().ToArray();

    [Fact]
    public void FromArray_CopiesDataAndReportsShape()
    {
        var rows = Numbered(6, 4);
        using var data = InMemoryDataset.FromArray(rows);
        rows[0, 1] = 999f; // the dataset holds a copy

        data.Count.Should().Be(6);
        data.FeatureCount.Should().Be(4);
        data.SampleShape.Should().Equal(4L);
        data.Features.shape.Should().Equal(6L, 4L);
        data.Features.dtype.Should().Be(ScalarType.Float32);
        data.Labels.Should().BeNull();
        var back = data.ToArray();
        back[0, 1].Should().Be(0.5f);
        back[5, 3].Should().Be(51.5f);
    }

    [Fact]
    public void FromArray_WithSampleShape_ViewsRowsAsImages()
    {
        using var data = InMemoryDataset.FromArray(Numbered(3, 4), sampleShape: [1, 2, 2]);
        data.Features.shape.Should().Equal(3L, 1L, 2L, 2L);
        data.SampleShape.Should().Equal(1L, 2L, 2L);
        data.FeatureCount.Should().Be(4);
        data.Features[2, 0, 1, 1].item<float>().Should().Be(21.5f);
        data.ToArray().Should().BeEquivalentTo(Numbered(3, 4));

        var act = () => InMemoryDataset.FromArray(Numbered(3, 4), sampleShape: [1, 3, 2]);
        act.Should().Throw<ArgumentException>().WithMessage("*[1, 3, 2]*4 features*");
    }

    [Fact]
    public void FromRows_MatchesFromArray()
    {
        var jagged = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 3).Select(j => (float)(i * 3 + j)).ToArray()).ToArray();
        using var data = InMemoryDataset.FromRows(jagged);
        var array = data.ToArray();
        array.GetLength(0).Should().Be(5);
        array.GetLength(1).Should().Be(3);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                array[i, j].Should().Be(i * 3 + j);
            }
        }
    }

    [Fact]
    public void FromRows_JaggedRows_NameTheFirstOffendingRow()
    {
        float[][] rows = [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3], [1, 2]];
        var act = () => InMemoryDataset.FromRows(rows);
        act.Should().Throw<ArgumentException>().WithMessage("Row 2 has 3 features but row 0 has 4*");
    }

    [Fact]
    public void FromTensor_CopiesConvertsAndDetaches()
    {
        using var count = TensorMath.Arange(12);
        using var source = count.to_type(ScalarType.Float64).reshape(3, 4).requires_grad_(true);
        using var labels = torch.tensor(new int[] { 2, 0, 1 });
        using var data = InMemoryDataset.FromTensor(source, labels);
        using (torch.no_grad())
        {
            source.MulInPlace(0); // the dataset holds a copy
        }

        data.Features.dtype.Should().Be(ScalarType.Float32);
        data.Features.requires_grad.Should().BeFalse();
        data.Features.is_contiguous().Should().BeTrue();
        data.ToArray()[2, 3].Should().Be(11f);
        data.Labels!.dtype.Should().Be(ScalarType.Int64);
        data.Labels.data<long>().ToArray().Should().Equal(2L, 0L, 1L);
    }

    [Fact]
    public void FromTensor_RejectsBadShapesAndLabels()
    {
        using var vector = torch.ones(5);
        using var features = torch.ones(3, 2);
        using var shortLabels = torch.zeros(2, dtype: ScalarType.Int64);
        using var floatLabels = torch.zeros(3);

        FluentActions.Invoking(() => InMemoryDataset.FromTensor(vector)).Should().Throw<ArgumentException>().WithMessage("*unsqueeze(1)*");
        FluentActions.Invoking(() => InMemoryDataset.FromTensor(features, shortLabels)).Should().Throw<ArgumentException>().WithMessage("*shape [3]*");
        FluentActions.Invoking(() => InMemoryDataset.FromTensor(features, floatLabels)).Should().Throw<ArgumentException>().WithMessage("*integer*");
    }

    [Fact]
    public void EmptyData_IsRejected()
    {
        FluentActions.Invoking(() => InMemoryDataset.FromArray(new float[0, 3])).Should().Throw<ArgumentException>().WithMessage("*at least one sample*");
        FluentActions.Invoking(() => InMemoryDataset.FromArray(new float[2, 0])).Should().Throw<ArgumentException>().WithMessage("*at least one sample and one feature*");
        FluentActions.Invoking(() => InMemoryDataset.FromRows([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => InMemoryDataset.FromRows([[], []])).Should().Throw<ArgumentException>();
        using var empty = torch.zeros(0, 4);
        FluentActions.Invoking(() => InMemoryDataset.FromTensor(empty)).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void NonFiniteValues_AreLocated(float bad, string name)
    {
        var rows = Numbered(20, 5);
        rows[17, 3] = bad;
        rows[18, 0] = float.NaN;
        rows[19, 4] = float.PositiveInfinity;

        var act = () => InMemoryDataset.FromArray(rows);
        act.Should().Throw<ArgumentException>()
            .WithMessage($"*row 17, feature 3 is {name} (3 non-finite value(s) in total)*scale*");

        var jagged = Enumerable.Range(0, 20).Select(i => Enumerable.Range(0, 5).Select(j => rows[i, j]).ToArray()).ToArray();
        FluentActions.Invoking(() => InMemoryDataset.FromRows(jagged)).Should().Throw<ArgumentException>().WithMessage($"*row 17, feature 3 is {name}*");
    }

    [Fact]
    public void NonFiniteValues_InImages_GiveTheSampleIndex()
    {
        using var images = torch.zeros(4, 1, 3, 3);
        images[2, 0, 1, 2] = torch.tensor(float.NaN);
        var act = () => InMemoryDataset.FromTensor(images);
        act.Should().Throw<ArgumentException>().WithMessage("*row 2, feature 5 (sample index [0, 1, 2]) is NaN*");
    }

    [Fact]
    public void Batches_Unshuffled_AreInOrderWithPartialLastBatch()
    {
        using var data = InMemoryDataset.FromArray(Numbered(10, 3));
        using var scope = torch.NewDisposeScope();
        var batches = data.Batches(batchSize: 4, shuffle: false).ToList();
        batches.Select(b => b.shape[0]).Should().Equal(4L, 4L, 2L);
        batches.SelectMany(RowIds).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
        batches[2].shape.Should().Equal(2L, 3L);
    }

    [Fact]
    public void Batches_Shuffled_CoverEveryIndexOncePerEpoch_AndAreDeterministic()
    {
        using var data = InMemoryDataset.FromArray(Numbered(103, 2), sampleShape: [2, 1]);
        List<long> Epoch(torch.Generator g)
        {
            using var scope = torch.NewDisposeScope();
            var ids = new List<long>();
            foreach (var batch in data.Batches(batchSize: 10, shuffle: true, g))
            {
                batch.shape.Skip(1).Should().Equal(2L, 1L);
                ids.AddRange(RowIds(batch));
            }

            return ids;
        }

        using var g1 = new torch.Generator(7);
        using var g2 = new torch.Generator(7);
        using var g3 = new torch.Generator(8);
        var first = Epoch(g1);
        var second = Epoch(g1);

        first.Should().HaveCount(103).And.OnlyHaveUniqueItems();
        first.Order().Should().Equal(Enumerable.Range(0, 103).Select(i => (long)i));
        first.Should().NotEqual(Enumerable.Range(0, 103).Select(i => (long)i), "a shuffled epoch is not the identity");
        second.Order().Should().Equal(first.Order());
        second.Should().NotEqual(first, "the generator advances between epochs");
        Epoch(g2).Should().Equal(first, "the same seed gives the same order");
        Epoch(g3).Should().NotEqual(first, "another seed gives another order");
    }

    [Fact]
    public void Batches_LiveInTheCallersScope_AndLeaveTheDatasetIntact()
    {
        using var data = InMemoryDataset.FromArray(Numbered(9, 2));
        Tensor? kept = null;
        using (torch.NewDisposeScope())
        {
            foreach (var batch in data.Batches(4, shuffle: true, generator: null))
            {
                kept = batch;
            }
        }

        kept!.IsInvalid.Should().BeTrue("batches belong to the caller's dispose scope");
        data.Features.IsInvalid.Should().BeFalse();
        data.ToArray()[8, 0].Should().Be(8f);
        FluentActions.Invoking(() => data.Batches(0, shuffle: false)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Split_IsSizedDisjointCompleteAndSeeded()
    {
        using var labels = TensorMath.Arange(100);
        using var source = torch.tensor(Enumerable.Range(0, 100).Select(i => (float)i).ToArray()).reshape(100, 1);
        using var data = InMemoryDataset.FromTensor(source, labels);

        var (train, validation) = data.Split(0.2, seed: 1);
        using (train)
        using (validation)
        {
            train.Count.Should().Be(80);
            validation.Count.Should().Be(20);
            var trainIds = RowIds(train.Features);
            var validationIds = RowIds(validation.Features);
            trainIds.Intersect(validationIds).Should().BeEmpty();
            trainIds.Concat(validationIds).Order().Should().Equal(Enumerable.Range(0, 100).Select(i => (long)i));
            trainIds.Should().BeInAscendingOrder();
            train.Labels!.data<long>().ToArray().Should().Equal(trainIds, "labels follow their samples");
            validation.Labels!.data<long>().ToArray().Should().Equal(validationIds);

            var (train2, validation2) = data.Split(0.2, seed: 1);
            var (train3, validation3) = data.Split(0.2, seed: 2);
            using (train2)
            using (validation2)
            using (train3)
            using (validation3)
            {
                RowIds(validation2.Features).Should().Equal(validationIds);
                RowIds(validation3.Features).Should().NotEqual(validationIds);
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Split_RejectsFractionsOutsideZeroOne(double fraction)
    {
        using var data = InMemoryDataset.FromArray(Numbered(10, 2));
        FluentActions.Invoking(() => data.Split(fraction, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*strictly between 0 and 1*");
    }

    [Fact]
    public void Split_KeepsBothPartsNonEmpty()
    {
        using var data = InMemoryDataset.FromArray(Numbered(10, 2));
        var (train, validation) = data.Split(0.001, 3);
        using (train)
        using (validation)
        {
            validation.Count.Should().Be(1);
            train.Count.Should().Be(9);
        }

        using var single = InMemoryDataset.FromArray(Numbered(1, 2));
        FluentActions.Invoking(() => single.Split(0.5, 0)).Should().Throw<InvalidOperationException>().WithMessage("*at least 2 samples*");
    }

    [Fact]
    public void Take_CopiesTheFirstSamples()
    {
        using var labels = torch.tensor(new long[] { 5, 6, 7, 8 });
        using var source = torch.tensor(new float[] { 0, 1, 2, 3 }).reshape(4, 1);
        using var data = InMemoryDataset.FromTensor(source, labels);
        using var two = data.Take(2);
        two.Count.Should().Be(2);
        two.Labels!.data<long>().ToArray().Should().Equal(5L, 6L);
        RowIds(two.Features).Should().Equal(0L, 1L);
        FluentActions.Invoking(() => data.Take(5)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => data.Take(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Dispose_ReleasesTensors_AndLaterUseThrows()
    {
        var data = InMemoryDataset.FromArray(Numbered(3, 2));
        var features = data.Features;
        data.Dispose();
        data.Dispose();
        features.IsInvalid.Should().BeTrue();
        FluentActions.Invoking(() => data.Features).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => data.ToArray()).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void DatasetCreatedInsideADisposeScope_OutlivesTheScope()
    {
        InMemoryDataset data;
        using (torch.NewDisposeScope())
        {
            data = InMemoryDataset.FromArray(Numbered(3, 2));
        }

        using (data)
        {
            data.Features.IsInvalid.Should().BeFalse();
            data.ToArray()[2, 0].Should().Be(2f);
        }
    }
}
