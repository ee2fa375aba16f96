using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSeg.Mqtt;
using EdgeSeg.Service.Publishing;
using EdgeSeg.TestSupport.Mosquitto;

namespace EdgeSeg.Service.Tests.Publishing;

/// <summary>
/// Commands run off the MQTT read loop, in a bounded queue with a timeout: whatever a command does (block on a FIFO,
/// arrive a thousand at once), the connection keeps reading, acknowledging and pinging, and every command is answered.
/// </summary>
public sealed class CommandQueueTests
{
    private static string ReplyField(MqttMessage reply, string name)
    {
        using var json = JsonDocument.Parse(reply.Payload);
        return json.RootElement.TryGetProperty(name, out var value) ? value.ToString() : "";
    }

    private static bool IsOk(MqttMessage reply)
    {
        using var json = JsonDocument.Parse(reply.Payload);
        return json.RootElement.GetProperty("ok").GetBoolean();
    }

    [MosquittoFact]
    public async Task ReloadModel_FileIsAFifo_ConnectionKeepsWorkingOtherCommandsAreAnsweredAndTheReloadTimesOut()
    {
        var directory = Directory.CreateTempSubdirectory("edgeseg-fifo-");
        var fifo = Path.Combine(directory.FullName, "model.onnx");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = await PublisherFixture.StartAsync(
            configure: p => p.ReloadModelRequested = (command, _) =>
            {
                // What opening a model that is a FIFO does: block in open(2) until a writer comes, on the caller's thread.
                entered.TrySetResult();
                var bytes = File.ReadAllBytes(command.ModelPath!);
                return Task.FromResult(new CommandResult(true, $"{bytes.Length} bytes"));
            },
            reloadModelTimeout: TimeSpan.FromSeconds(3));
        try
        {
            await f.Received.WaitForAsync("edgeseg/v1/box1/status");
            await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/reload-model", Encoding.UTF8.GetBytes($"{{\"id\":\"fifo\",\"path\":\"{fifo}\"}}"))
            {
                QualityOfService = MqttQualityOfService.AtLeastOnce,
            });
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));

            // While the reload hangs, a set-rate is read, carried out and answered.
            await f.Watcher.PublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/set-rate", "{\"id\":\"rate\",\"source\":\"cam0\",\"stream\":\"metrics\",\"fps\":2}"u8.ToArray())
            {
                QualityOfService = MqttQualityOfService.AtLeastOnce,
            });
            var rate = await f.Received.WaitForAsync("edgeseg/v1/box1/cmd/set-rate/reply", m => ReplyField(m, "id") == "rate");
            Assert.True(IsOk(rate));
            Assert.Equal(2, f.Publisher.GetRate("cam0", PublishedStream.Metrics));

            // The reload is answered when its timeout passes (more than one keep-alive of the service's client), and
            // the connection it hung beside was never declared silent or replaced.
            var reload = await f.Received.WaitForAsync("edgeseg/v1/box1/cmd/reload-model/reply", m => ReplyField(m, "id") == "fifo");
            Assert.False(IsOk(reload));
            Assert.Contains("did not finish within 3 s", ReplyField(reload, "error"), StringComparison.Ordinal);
            Assert.Equal(0, f.Service.Statistics.SilentConnections);
            Assert.Equal(1, f.Service.Statistics.Connects);
            Assert.True(f.Service.IsConnected);
        }
        finally
        {
            // A writer lets the blocked open(2) return (and see end of file), so no thread is left behind.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            directory.Delete(recursive: true);
        }
    }

    [MosquittoFact]
    public async Task Snapshot_ThousandCommandsAtOnce_EveryOneGetsOneReplyOkOrBusy()
    {
        const int total = 1000;
        var taken = 0;
        await using var f = await PublisherFixture.StartAsync(configure: p => p.SnapshotRequested = async (_, ct) =>
        {
            // What the service's snapshot does: wait for the next frame of the source (25 fps here).
            await Task.Delay(TimeSpan.FromMilliseconds(40), ct);
            Interlocked.Increment(ref taken);
            return new CommandResult(true, "taken");
        });
        await f.Received.WaitForAsync("edgeseg/v1/box1/status");

        var sent = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            sent.Add(await f.Watcher.SendPublishAsync(new MqttMessage("edgeseg/v1/box1/cmd/snapshot", Encoding.UTF8.GetBytes($"{{\"id\":\"s{i}\"}}"))
            {
                QualityOfService = MqttQualityOfService.AtLeastOnce,
            }));
        }

        await Task.WhenAll(sent).WaitAsync(TimeSpan.FromSeconds(60));
        await f.Received.WaitForAsync("edgeseg/v1/box1/cmd/snapshot/reply", _ => f.Received.On("edgeseg/v1/box1/cmd/snapshot/reply").Count >= total, TimeSpan.FromSeconds(120));

        var replies = f.Received.On("edgeseg/v1/box1/cmd/snapshot/reply");
        Assert.Equal(total, replies.Count);
        Assert.Equal(Enumerable.Range(0, total).Select(i => string.Create(CultureInfo.InvariantCulture, $"s{i}")).Order(), replies.Select(r => ReplyField(r, "id")).Order());
        var busy = replies.Where(r => !IsOk(r)).ToList();
        Assert.All(busy, r => Assert.StartsWith("busy:", ReplyField(r, "error"), StringComparison.Ordinal));
        Assert.Equal(total - busy.Count, Volatile.Read(ref taken));
        Assert.True(total - busy.Count >= CommandQueue.Capacity, $"only {total - busy.Count} snapshots ran");
        Assert.Equal(1, f.Service.Statistics.Connects);
    }
}
