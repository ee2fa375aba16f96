using EdgeSeg.Pipeline.Frames;

namespace EdgeSeg.Pipeline.Sources;

/// <summary>
/// Something that delivers frames: a file, a stream, a camera, an image folder. Open, read frames into pooled
/// frames, close; the pipeline's supervisor reopens live sources that stop. Not thread-safe: one capture loop uses it.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The source's id (in every frame, log line and metric).</summary>
    string Id { get; }

    /// <summary>What it reads.</summary>
    string Uri { get; }

    /// <summary>The kind of source.</summary>
    FrameSourceKind Kind { get; }

    /// <summary>
    /// Live sources (streams, cameras) produce frames whether or not anyone reads them: the pipeline drops their
    /// oldest queued frame rather than fall behind, and reconnects them when they stop. Files and folders wait.
    /// </summary>
    bool IsLive { get; }

    /// <summary>Whether the source is open.</summary>
    bool IsOpen { get; }

    /// <summary>Frame width; valid while open.</summary>
    int Width { get; }

    /// <summary>Frame height; valid while open.</summary>
    int Height { get; }

    /// <summary>The nominal frame rate (0 when unknown); valid while open.</summary>
    double Fps { get; }

    /// <summary>Opens (or reopens) the source. Blocks for at most the configured open timeout.</summary>
    /// <exception cref="FrameSourceException">It could not be opened; the message names the source and why.</exception>
    void Open();

    /// <summary>
    /// Reads the next frame into <paramref name="frame"/> (a <see cref="Width"/> x <see cref="Height"/> x 3 frame)
    /// and stamps it with the source id, the next index and the capture and stream timestamps. Returns false at the
    /// end (a file without loop, a stream that ended or timed out); the frame is then left untouched.
    /// </summary>
    /// <exception cref="FrameSourceException">The read failed (a decode error, a size change); the source should be reopened.</exception>
    bool TryRead(Frame frame);

    /// <summary>Closes the source; it may be opened again.</summary>
    void Close();

    /// <summary>
    /// Frames passed over because they could not be read, without ending the source (an image folder's corrupt or
    /// oversized image); 0 for sources that never skip. Read on the capture loop after <see cref="TryRead"/>.
    /// </summary>
    long Skipped => 0;

    /// <summary>Why the last frame counted in <see cref="Skipped"/> was passed over (it names the file); null when none was.</summary>
    string? LastSkipReason => null;
}
