using EdgeSeg.Core.Segmentation;

namespace EdgeSeg.OnnxRuntime.Tests;

public sealed class OnnxRuntimeSessionTests
{
    private static IInferenceSession Open(string model) =>
        new OnnxRuntimeBackend().Open(TestModels.Path(model), new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 });

    [Fact]
    public void Open_FixedModel_DescribesInputsAndOutputs()
    {
        using var session = Open("twin-head");

        var input = Assert.Single(session.Inputs);
        Assert.Equal("images", input.Name);
        Assert.Equal(TensorElementType.Float32, input.ElementType);
        Assert.Equal([1L, 3, 72, 128], input.Shape);
        Assert.Equal(["da", "ll"], session.Outputs.Select(o => o.Name));
        Assert.Equal([1L, 2, 18, 32], session.Outputs[0].Shape);
    }

    [Fact]
    public void Open_DynamicModel_ReportsSymbolicDimensions()
    {
        using var session = Open("dynamic-full");

        var input = Assert.Single(session.Inputs);
        Assert.Equal([1L, 3, -1, -1], input.Shape);
        Assert.Equal("height", input.SymbolicDimensions[2]);
        Assert.Equal("[1, 3, height, width]", input.ShapeText);
    }

    [Fact]
    public void Open_Float16AndLabelsModels_ReportElementTypes()
    {
        using var half = Open("float16");
        using var labels = Open("labels");

        Assert.Equal(TensorElementType.Float16, half.Inputs[0].ElementType);
        Assert.Equal(TensorElementType.Float16, half.Outputs[0].ElementType);
        Assert.Equal(TensorElementType.Int64, labels.Outputs[0].ElementType);
    }

    [Fact]
    public void Metadata_ModelWithEmbeddedCard_ReturnsTheCardJson()
    {
        using var session = Open("quarter-fixed-metadata");

        var card = ModelCard.Parse(session.Metadata[ModelCard.MetadataKey]);
        Assert.Equal("quarter-fixed", card.Name);
    }

    [Fact]
    public void Run_Twice_WritesIntoTheSameBoundBuffersWithNewResults()
    {
        using var session = Open("dynamic-full");
        using var binding = session.Bind("input", [1, 3, 16, 24], ["scores"]);
        binding.InputFloat.Fill(0.25f);
        binding.Run();
        var first = binding.GetOutput(0).As<float>().ToArray();
        var firstAddress = Address(binding.GetOutput(0).As<float>());

        binding.InputFloat.Fill(-0.75f);
        binding.Run();
        var second = binding.GetOutput(0);

        Assert.Equal([1L, 4, 16, 24], second.Shape.ToArray());
        Assert.Equal(firstAddress, Address(second.As<float>()));
        Assert.NotEqual(first, second.As<float>().ToArray());
    }

    [Fact]
    public void Bind_WrongFixedDimension_ThrowsNamingTheInput()
    {
        using var session = Open("quarter-fixed");

        var ex = Assert.Throws<ArgumentException>(() => session.Bind("images", [1, 3, 64, 95], ["logits"]));

        Assert.Contains("Input 'images' is [1, 3, 64, 96]; dimension 3 cannot be 95.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownOutput_ThrowsListingTheOutputs()
    {
        using var session = Open("quarter-fixed");

        var ex = Assert.Throws<ArgumentException>(() => session.Bind("images", [1, 3, 64, 96], ["mask"]));

        Assert.Contains("The model has no output 'mask' (its outputs: logits)", ex.Message, StringComparison.Ordinal);
    }

    private static unsafe nint Address(ReadOnlySpan<float> span)
    {
        fixed (float* p = span)
        {
            return (nint)p;
        }
    }
}
