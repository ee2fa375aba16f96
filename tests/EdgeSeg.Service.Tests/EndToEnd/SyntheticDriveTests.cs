using System.Globalization;
using System.Text.Json;
using EdgeSeg.Core.Classes;
using EdgeSeg.Core.Evaluation;
using EdgeSeg.Mqtt;
using EdgeSeg.OpenCv;
using EdgeSeg.Service.Cli;
using EdgeSeg.Service.Tests.Support;
using EdgeSeg.TestSupport.Mosquitto;
using EdgeSeg.TestSupport.Synthetic;
using Xunit.Abstractions;

namespace EdgeSeg.Service.Tests.EndToEnd;

/// <summary>
/// The embedded default end to end: a synthetic drive with exact masks and known lane changes (rendered by
/// <c>edgeseg-train synth</c>), through the real service with <c>models/default.onnx</c> and a real broker. The masks
/// received over MQTT are scored against the exact masks, and the lane-departure events against the lane changes
/// (the file is read unpaced: scene time is the video's own, whatever this machine's speed).
/// </summary>
public sealed class SyntheticDriveTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// Issue 10's target for the masks received over MQTT, kept by issue 16. The committed default model (the
    /// ResNet-18 U-Net) reaches 0.904 on this drive, the U-Net (models/unet.onnx) 0.908 (models/README.md); the
    /// margin covers other CPUs' kernels and other x264 builds' encodes, and is thin: a new default must be run here.
    /// </summary>
    private const double MeanIoUFloor = 0.9;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MosquittoFact]
    public async Task Run_SyntheticDriveOnDefaultModel_MasksNearTheExactOnesAndOneDeparturePerLaneChange()
    {
        using var drive = await SyntheticDrive.RenderAsync(seed: 3, seconds: 20, fps: 15);
        await using var broker = await MosquittoBroker.StartAsync();
        var collector = new MessageCollector();
        await using var subscriber = new MqttClient(new MqttClientOptions
        {
            Endpoints = [new MqttEndpoint(broker.Host, broker.Port)],
            ClientId = "drive-" + Guid.NewGuid().ToString("N")[..8],
        });
        subscriber.MessageReceived = collector.OnMessageAsync;
        await subscriber.StartAsync();
        await subscriber.WaitUntilConnectedAsync().WaitAsync(Timeout);
        await subscriber.SubscribeAsync([new MqttSubscription("edgeseg/v1/#") { QualityOfService = MqttQualityOfService.AtLeastOnce }]);

        var (code, _, stderr) = await EdgesegProcess.RunAsync(_dir.Path, Timeout, "run", "--exit-when-done",
            "--Device:Id=drive", "--Sources:0:Id=cam0", $"--Sources:0:Uri={drive.ClipPath}", "--Sources:0:Pace=false",
            $"--Model:Path={TestRepo.Path("models", "default.onnx")}", "--Model:Providers=cpu", $"--Mqtt:Port={broker.Port}",
            "--Http:Urls=http://127.0.0.1:0", $"--StateDirectory={Path.Combine(_dir.Path, "state")}");
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
        await collector.WaitForAsync(m => m.Count(x => x.Topic == "edgeseg/v1/drive/cam0/mask") >= drive.Frames
            && m.Count(x => x.Topic == "edgeseg/v1/drive/cam0/metrics") >= drive.Frames, Timeout);

        // Masks: every frame's, scored against the generator's exact mask.
        var matrix = new ConfusionMatrix(5);
        foreach (var message in collector.On("edgeseg/v1/drive/cam0/mask"))
        {
            var index = int.Parse(message.GetUserProperty("frame-index")!, CultureInfo.InvariantCulture);
            var published = CvImage.Decode(message.Payload.Span, ImageReadMode.Unchanged);
            var exact = CvImage.Read(drive.MaskPath(index), ImageReadMode.Unchanged);
            Assert.Equal((exact.Width, exact.Height, 1), (published.Width, published.Height, published.Channels));
            matrix.Accumulate(exact.Pixels, published.Pixels, exact.Width);
        }

        var perClass = string.Join(", ", ApplianceClasses.All.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {matrix.IoU(c.Index):0.000}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mIoU {matrix.MeanIoU:0.000} over {drive.Frames} frames ({perClass})"));
        Assert.InRange(matrix.MeanIoU, MeanIoUFloor, 1);

        // Departures: the frame each began (its start time is a frame's timestamp) and its side, against the lane changes.
        var frameAt = collector.On("edgeseg/v1/drive/cam0/metrics")
            .Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .ToDictionary(e => e.GetProperty("timestamp").GetDateTimeOffset(), e => e.GetProperty("frame").GetInt32());
        var departures = collector.On("edgeseg/v1/drive/cam0/events")
            .Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "lane_departure" && e.GetProperty("phase").GetString() == "start")
            .Select(e => (Frame: frameAt[e.GetProperty("start").GetDateTimeOffset()], Side: Math.Sign(e.GetProperty("value").GetDouble())))
            .ToList();
        output.WriteLine("departures (frame, side): " + string.Join(", ", departures));

        // Each lane change raises exactly one departure, on its side, and nothing else does: no false alarm while the
        // car keeps its lane. Scene time is the video's own (the file is read unpaced), so this holds whatever the
        // machine's speed. (The model before this one missed the first, leftward change: its lane-marking confidence
        // there was under the event's 0.1 gate.)
        Assert.Equal(drive.LaneChanges.Count, departures.Count);
        foreach (var change in drive.LaneChanges)
        {
            var (_, side) = Assert.Single(departures, d => d.Frame >= change.StartFrame && d.Frame <= change.EndFrame);
            Assert.Equal(change.Direction, side);
        }
    }
}
