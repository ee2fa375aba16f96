using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSeg.Training.Benchmarking;
using EdgeSeg.Training.Kernels;
using EdgeSeg.Training.Models;

namespace EdgeSeg.Trainer.Cli;

/// <summary>
/// <c>edgeseg-train bench</c>: times forward, backward and a whole training step of a U-Net in the engine, runs the
/// PyTorch peer script (scripts/torch_peer_bench.py) on the same architecture, size, batch and thread count, and
/// prints both with the ratio; also SGEMM GFLOP/s against this CPU's measured peak.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var depth = new Option<int>("--depth") { Description = "U-Net depth (levels).", DefaultValueFactory = _ => 4 };
        var width = new Option<int>("--base") { Description = "U-Net base width (channels of the first level).", DefaultValueFactory = _ => 32 };
        var classes = new Option<int>("--classes") { Description = "Output classes.", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Images per batch.", DefaultValueFactory = _ => 4 };
        var size = new Option<string>("--size") { Description = "Input size, HxW or one number for a square.", DefaultValueFactory = _ => "256" };
        var threads = new Option<int>("--threads") { Description = "Threads for both engines (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var steps = new Option<int>("--steps") { Description = "Timed steps (median reported).", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 1 };
        var bilinear = new Option<bool>("--bilinear") { Description = "Bilinear up-sampling instead of transposed convolutions." };
        var noTorch = new Option<bool>("--no-torch") { Description = "Skip the PyTorch peer." };
        var python = new Option<string?>("--python") { Description = "Python interpreter with torch (default: /usr/bin/python3 where present, else python3)." };
        var command = new Command("bench", "Time a U-Net training step in the engine and in PyTorch (same architecture, size, batch and threads), and SGEMM against the CPU's peak.")
        {
            depth, width, classes, batch, size, threads, steps, warmup, bilinear, noTorch, python,
        };
        command.SetAction(parse =>
        {
            var sizeText = parse.GetValue(size)!;
            var parts = sizeText.Split('x', 'X');
            if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
            {
                Console.Error.WriteLine($"--size '{sizeText}' must be HxW or a single positive number.");
                return 2;
            }

            var h = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var w = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            var t = parse.GetValue(threads);
            if (t < 1)
            {
                Console.Error.WriteLine("--threads must be >= 1.");
                return 2;
            }

            EngineThreads.Count = t;
            var options = new UNetBenchmarkOptions
            {
                Depth = parse.GetValue(depth),
                BaseWidth = parse.GetValue(width),
                Classes = parse.GetValue(classes),
                Batch = parse.GetValue(batch),
                Height = h,
                Width = w,
                Steps = parse.GetValue(steps),
                Warmup = parse.GetValue(warmup),
                Upsampling = parse.GetValue(bilinear) ? UpsamplingMode.Bilinear : UpsamplingMode.TransposedConv,
            };
            return Run(options, t, parse.GetValue(noTorch), parse.GetValue(python));
        });
        return command;
    }

    private static int Run(UNetBenchmarkOptions o, int threads, bool noTorch, string? python)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"machine: {Environment.ProcessorCount} logical cores, {threads} threads, kernel {SgemmBenchmark.KernelName}, .NET {Environment.Version}"));
        var peak = SgemmBenchmark.MeasurePeakGflops(1.0);
        Console.WriteLine(string.Create(inv, $"peak FMA (measured, register-resident micro-kernel): {peak:F1} GFLOP/s"));
        foreach (var (m, n, k) in new[] { (512, 512, 512), (1024, 1024, 1024), (64, 65536, 288), (256, 4096, 2304) })
        {
            var (g, perCpu) = SgemmBenchmark.MeasureGflops(m, n, k, 10);
            Console.WriteLine(string.Create(inv, $"sgemm {m}x{n}x{k}: {g:F1} GFLOP/s best wall ({100 * g / peak:F0}% of peak); {perCpu:F1} GFLOP per CPU-second ({100 * perCpu / (peak / threads):F0}% of one core's peak)"));
        }

        // The convolution the tall shape stands for, as Ops.Conv2d runs it (B packed from the image) and as an explicit
        // im2col matrix plus GEMM, the im2col time included; forward and weight gradient.
        foreach (var (weightGradient, implicitGemm) in new[] { (false, true), (false, false), (true, true), (true, false) })
        {
            var (g, perCpu) = SgemmBenchmark.MeasureConvGflops(64, 32, 256, implicitGemm, weightGradient, 10);
            var shape = weightGradient ? "64x288x65536 (weight gradient)" : "64x65536x288 (forward)";
            var path = implicitGemm ? "implicit GEMM" : "im2col + GEMM";
            Console.WriteLine(string.Create(inv, $"conv 3x3 32->64 at 256x256 as {shape}, {path}: {g:F1} GFLOP/s best wall ({100 * g / peak:F0}% of peak); {perCpu:F1} GFLOP per CPU-second ({100 * perCpu / (peak / threads):F0}% of one core's peak)"));
        }

        Console.WriteLine(string.Create(inv, $"U-Net depth {o.Depth} base {o.BaseWidth} classes {o.Classes} {o.Upsampling}, batch {o.Batch}, {o.Height}x{o.Width}, {o.Warmup} warm-up + {o.Steps} timed steps"));
        var engine = UNetBenchmark.Run(o);
        Console.WriteLine(string.Create(inv, $"edgeseg  forward {engine.ForwardMs,9:F1} ms  backward {engine.BackwardMs,9:F1} ms  step {engine.StepMs,9:F1} ms  {engine.ImagesPerSecond,7:F2} images/s  cpu {engine.StepCpuSeconds,7:F2} s/step  ({engine.AllocatedBytesPerStep / 1048576.0:F1} MiB allocated per step)"));
        if (noTorch)
        {
            return 0;
        }

        var peer = RunPeer(o, threads, python);
        if (peer is null)
        {
            return 0;
        }

        var (fwd, bwd, step, ips, cpuStep, version) = peer.Value;
        Console.WriteLine(string.Create(inv, $"pytorch  forward {fwd,9:F1} ms  backward {bwd,9:F1} ms  step {step,9:F1} ms  {ips,7:F2} images/s  cpu {cpuStep,7:F2} s/step  (torch {version})"));
        Console.WriteLine(string.Create(inv, $"ratio edgeseg/pytorch images/s: {engine.ImagesPerSecond / ips:F2}x (wall); {cpuStep / engine.StepCpuSeconds:F2}x (per CPU-second)"));
        return 0;
    }

    private static (double Fwd, double Bwd, double Step, double Ips, double CpuStep, string Version)? RunPeer(UNetBenchmarkOptions o, int threads, string? python)
    {
        var script = FindScript();
        if (script is null)
        {
            Console.WriteLine("pytorch  skipped: scripts/torch_peer_bench.py not found above the application folder.");
            return null;
        }

        python ??= File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            script, "--depth", $"{o.Depth}", "--base", $"{o.BaseWidth}", "--classes", $"{o.Classes}", "--batch", $"{o.Batch}",
            "--height", $"{o.Height}", "--width", $"{o.Width}", "--threads", $"{threads}", "--warmup", $"{o.Warmup}", "--steps", $"{o.Steps}",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        if (o.Upsampling == UpsamplingMode.Bilinear)
        {
            psi.ArgumentList.Add("--bilinear");
        }

        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.WriteLine($"pytorch  failed (exit {p.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
                return null;
            }

            using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            var r = doc.RootElement;
            return (r.GetProperty("forward_ms").GetDouble(), r.GetProperty("backward_ms").GetDouble(), r.GetProperty("step_ms").GetDouble(), r.GetProperty("images_per_second").GetDouble(), r.GetProperty("step_cpu_s").GetDouble(), r.GetProperty("torch").GetString() ?? "?");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"pytorch  skipped: cannot start '{python}': {e.Message}");
            return null;
        }
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "torch_peer_bench.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var cwd = Path.Combine(Environment.CurrentDirectory, "scripts", "torch_peer_bench.py");
        return File.Exists(cwd) ? cwd : null;
    }
}
