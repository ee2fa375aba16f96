using System.Text.Json;
using EdgeSeg.Core.Imaging;
using EdgeSeg.Core.Masks;
using EdgeSeg.OpenCv;
using EdgeSeg.OpenCv.Video;

namespace EdgeSeg.Trainer.Synthesis;

/// <summary>
/// Renders a synthetic drive: an H.264 MP4 (OpenCV's <see cref="VideoWriter"/>, or the ffmpeg CLI as a fallback), the exact mask of every frame (<c>masks/&lt;frame&gt;.png</c>, frame
/// numbers from 000000), classes.json, and a sidecar JSON beside the clip (<c>&lt;clip&gt;.json</c>) with the clip's
/// facts and the frame ranges of every lane change.
/// </summary>
internal static class DriveRenderer
{
    /// <summary>Renders <paramref name="frames"/> frames; returns the lane changes made.</summary>
    /// <remarks>
    /// <paramref name="onFrame"/> is called after each frame is encoded. With <paramref name="closeInAt"/> the drive has a
    /// close-in from that second (<see cref="DriveSimulator"/>), written to the sidecar as <c>close_in</c>.
    /// </remarks>
    public static IReadOnlyList<LaneChange> Render(string clipPath, string maskDirectory, int frames, double fps, int width, int height, ulong seed, Action? onFrame = null,
        double? closeInAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clipPath);
        ArgumentException.ThrowIfNullOrEmpty(maskDirectory);
        var clipFolder = Path.GetDirectoryName(Path.GetFullPath(clipPath));
        if (clipFolder is not null)
        {
            Directory.CreateDirectory(clipFolder);
        }

        var masks = Path.Combine(maskDirectory, "masks");
        Directory.CreateDirectory(masks);
        var simulator = new DriveSimulator(seed, width, height, (float)fps, frames, (float?)closeInAt);
        var image = new ImageBuffer(width, height, 3);
        var mask = new Mask(width, height);
        // OpenCV's writer when it gets H.264 (avc1); otherwise (no shim, or an FFmpeg without libx264 behind
        // OpenCV) the ffmpeg command line with libx264.
        VideoWriter? writer;
        try
        {
            writer = VideoWriter.Open(clipPath, width, height, fps);
        }
        catch (Exception e) when (e is OpenCvException or DllNotFoundException)
        {
            writer = null;
        }

        FfmpegVideoSink? ffmpeg = null;
        if (writer is not { FourCc: "avc1" })
        {
            writer?.Dispose();
            writer = null;
            ffmpeg = new FfmpegVideoSink(clipPath, width, height, fps);
        }

        try
        {
            for (var i = 0; i < frames; i++)
            {
                SceneRenderer.Render(simulator.Next(), image, mask);
                if (writer is not null)
                {
                    writer.Write(image);
                }
                else
                {
                    ffmpeg!.Write(image);
                }

                PngWriter.WriteMask(Path.Combine(masks, SyntheticDataset.FrameStem(i) + ".png"), mask);
                onFrame?.Invoke();
            }

            ffmpeg?.Complete();
        }
        finally
        {
            writer?.Dispose();
            ffmpeg?.Dispose();
        }

        SyntheticDataset.WriteClassesJson(maskDirectory, "procedural dashcam drive (video frames)", seed, width, height);
        WriteSidecar(SidecarPath(clipPath), clipPath, maskDirectory, simulator, frames, fps, width, height, seed);
        return simulator.LaneChanges;
    }

    /// <summary>Where the sidecar of <paramref name="clipPath"/> goes: the clip's path with extension .json.</summary>
    public static string SidecarPath(string clipPath) => Path.ChangeExtension(clipPath, ".json");

    private static void WriteSidecar(string path, string clipPath, string maskDirectory, DriveSimulator sim, int frames, double fps, int width, int height, ulong seed)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("clip", Path.GetFileName(clipPath));
        json.WriteString("masks", Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", Path.Combine(Path.GetFullPath(maskDirectory), "masks")));
        json.WriteString("mask_name", "<frame:D6>.png, frame 0 first");
        json.WriteNumber("width", width);
        json.WriteNumber("height", height);
        json.WriteNumber("fps", fps);
        json.WriteNumber("frames", frames);
        json.WriteNumber("seed", seed);
        json.WriteNumber("speed_mps", Math.Round(sim.Speed, 3));
        json.WriteNumber("lanes", sim.Layout.Lanes);
        json.WriteNumber("lane_width_m", sim.Layout.LaneWidth);
        json.WriteNumber("oncoming_lanes", sim.Layout.OncomingLanes);
        json.WriteString("lane_numbering", "0 = leftmost lane; lanes below oncoming_lanes carry oncoming traffic");
        json.WriteStartArray("lane_changes");
        foreach (var c in sim.LaneChanges)
        {
            json.WriteStartObject();
            json.WriteNumber("start_frame", c.StartFrame);
            json.WriteNumber("end_frame", c.EndFrame);
            json.WriteNumber("crossing_frame", c.CrossingFrame);
            json.WriteNumber("from_lane", c.FromLane);
            json.WriteNumber("to_lane", c.ToLane);
            json.WriteString("direction", c.Direction);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (sim.CloseIn is { } closeIn)
        {
            json.WriteStartObject("close_in");
            json.WriteNumber("start_frame", closeIn.StartFrame);
            json.WriteNumber("closest_frame", closeIn.ClosestFrame);
            json.WriteNumber("end_frame", closeIn.EndFrame);
            json.WriteNumber("min_gap_m", Math.Round(closeIn.MinGapMetres, 3));
            json.WriteNumber("closing_speed_mps", closeIn.ClosingSpeed);
            json.WriteEndObject();
            json.WriteStartArray("lead_gap_m");
            foreach (var gap in sim.LeadGaps)
            {
                if (gap is { } g)
                {
                    json.WriteNumberValue(Math.Round(g, 3));
                }
                else
                {
                    json.WriteNullValue();
                }
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("camera_offset_m");
        foreach (var x in sim.CameraOffsets)
        {
            json.WriteNumberValue(Math.Round(x, 3));
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
