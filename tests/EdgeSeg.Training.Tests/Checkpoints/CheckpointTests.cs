using System.Buffers.Binary;
using System.Text.Json;
using EdgeSeg.Training.Checkpoints;
using EdgeSeg.Training.Losses;
using EdgeSeg.Training.Models;
using EdgeSeg.Training.Optim;
using EdgeSeg.Training.Tensors;
using EdgeSeg.Training.Tests.Support;

namespace EdgeSeg.Training.Tests.Checkpoints;

public class CheckpointTests
{
    [Fact]
    public void SaveLoad_ModelAndAdamW_ResumesBitIdentically()
    {
        using var dir = new TempDir();
        var x = GradCheck.Random(1, 2, 3, 9, 11);
        var labels = Enumerable.Range(0, 2 * 9 * 11).Select(i => (byte)(i % 3)).ToArray();
        var loss = new CrossEntropyLoss(3);

        void TrainStep(UNet m, Optimizer o)
        {
            o.ZeroGrad();
            loss.Forward(m.Forward(x), labels).Backward();
            o.Step();
        }

        var a = new UNet(2, 3, 3, seed: 5);
        var optA = new AdamW(a.NamedParameters(), 0.01);
        TrainStep(a, optA);
        var path = dir.File("ckpt.safetensors");
        Checkpoint.Save(path, a, optA, epoch: 7, new Dictionary<string, string> { ["note"] = "hello" });

        var b = new UNet(2, 3, 3, seed: 6);
        var optB = new AdamW(b.NamedParameters(), 0.01);
        var info = Checkpoint.Load(path, b, optB);
        Assert.Equal(7, info.Epoch);
        Assert.Equal("hello", info.Metadata["note"]);
        Assert.Equal(1, optB.StepCount);

        TrainStep(a, optA);
        TrainStep(b, optB);
        foreach (var (name, t) in a.StateDict())
        {
            Assert.Equal(t.ToArray(), b.StateDict()[name].ToArray());
        }
    }

    [Fact]
    public void Write_Format_IsSafetensorsLayout()
    {
        using var dir = new TempDir();
        var path = dir.File("t.safetensors");
        SafeTensors.Write(path, [new("a", new Tensor([1f, 2f, 3f], 3)), new("b", new Tensor([4f, 5f], 2, 1))], new Dictionary<string, string> { ["k"] = "v" });
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, n));
        Assert.Equal("v", doc.RootElement.GetProperty("__metadata__").GetProperty("k").GetString());
        var b = doc.RootElement.GetProperty("b");
        Assert.Equal("F32", b.GetProperty("dtype").GetString());
        Assert.Equal([2, 1], b.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([12L, 20L], b.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + n + 16)));
        Assert.Equal(8 + n + 20, bytes.Length);
    }

    [Fact]
    public void Load_WrongArchitecture_ThrowsNamingEntry()
    {
        using var dir = new TempDir();
        var path = dir.File("c.safetensors");
        Checkpoint.Save(path, new UNet(2, 4, 3), null, 0);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, new UNet(2, 8, 3)));
        Assert.Contains("encoders.0.conv1.weight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedFile_ThrowsInvalidData()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Contains("header length", e.Message, StringComparison.Ordinal);
    }
}
