using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace EdgeSeg.Service.Native;

/// <summary>
/// The libc calls the service makes itself: a file's type without opening it (opening a FIFO blocks), the file
/// creation mask, and an immediate exit.
/// </summary>
internal static partial class LibC
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const ushort TypeMask = 0xF000;

    /// <summary>What a path names (links followed): a regular file, a directory, or something else (FIFO, device, socket).</summary>
    public static FileKind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // struct statx is 256 bytes with the same layout on every architecture (unlike struct stat).
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return FileKind.Missing;
        }

        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer[ModeOffset..]) & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    /// <summary>Sets the process's file creation mask (<c>umask</c>); returns the previous one.</summary>
    public static uint SetUmask(uint mask) => Umask(mask);

    /// <summary>
    /// Ends the process at once with <paramref name="status"/> (<c>_exit</c>): no atexit handlers, no native libraries'
    /// static destructors. For a stop during start-up that abandoned a model load: ONNX Runtime may still be creating
    /// the session on another thread, and its static destructors running beside that thread can crash the process
    /// (SIGSEGV, exit 139) after the clean stop was already reported. The caller flushes its output first.
    /// </summary>
    [DoesNotReturn]
    public static void ExitNow(int status)
    {
        Exit(status);
        throw new UnreachableException("_exit returned.");
    }

    // void _exit(int status);
    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);

    // mode_t umask(mode_t mask);
    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);

    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string pathname, int flags, uint mask, Span<byte> statxbuf);
}
