namespace EdgeSeg.Service.Native;

/// <summary>What a path names, from <see cref="LibC.KindOf"/>.</summary>
internal enum FileKind
{
    /// <summary>Nothing there (or it cannot be looked at).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe: reading it blocks until something writes.</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c>.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A unix socket.</summary>
    Socket,

    /// <summary>Anything else.</summary>
    Other,
}
