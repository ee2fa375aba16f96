using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeSeg.Training.Kernels;

/// <summary>
/// The im2col matrix of one image [C, H, W] under a convolution's geometry, never materialised: row r = (ch, ki, kj)
/// of C*kh*kw rows, column j = (oy, ox) of Ho*Wo columns, element x[ch, oy*stride - pad + ki*dil,
/// ox*stride - pad + kj*dil], or 0 where that falls in the padding. <see cref="Im2Col.Forward"/> writes whole rows
/// from it; <see cref="Sgemm"/> packs its B panels straight from it (implicit-GEMM convolution). Geometry only: the
/// image is passed to each call, so one value serves every image of a batch.
/// </summary>
internal readonly struct ConvColumns
{
    private readonly int _height;
    private readonly int _width;
    private readonly int _kernelH;
    private readonly int _kernelW;
    private readonly int _stride;
    private readonly int _padding;
    private readonly int _dilation;
    private readonly int _outH;
    private readonly int _outW;

    public ConvColumns(int channels, int height, int width, int kernelH, int kernelW, int stride, int padding, int dilation)
    {
        Debug.Assert(channels > 0 && height > 0 && width > 0 && kernelH > 0 && kernelW > 0 && stride > 0 && padding >= 0 && dilation > 0, "bad geometry");
        Channels = channels;
        _height = height;
        _width = width;
        _kernelH = kernelH;
        _kernelW = kernelW;
        _stride = stride;
        _padding = padding;
        _dilation = dilation;
        _outH = Im2Col.OutSize(height, kernelH, stride, padding, dilation);
        _outW = Im2Col.OutSize(width, kernelW, stride, padding, dilation);
        Debug.Assert(_outH > 0 && _outW > 0, "image smaller than the kernel");
    }

    /// <summary>Input channels C.</summary>
    public int Channels { get; }

    /// <summary>Rows of the matrix: C * kh * kw.</summary>
    public int Rows => Channels * _kernelH * _kernelW;

    /// <summary>Columns of the matrix: output positions Ho * Wo.</summary>
    public int Columns => _outH * _outW;

    /// <summary>Floats in the image the matrix is read from: C * H * W.</summary>
    public int ImageLength => Channels * _height * _width;

    /// <summary>
    /// Writes the matrix elements [<paramref name="row"/>, <paramref name="start"/> .. start + destination.Length)
    /// of <paramref name="image"/> into <paramref name="destination"/>: zeros in the padding, exact copies of the
    /// image's floats elsewhere. The segment may start and end anywhere within the row (mid output row included).
    /// </summary>
    public unsafe void CopyRow(ReadOnlySpan<float> image, int row, int start, Span<float> destination)
    {
        Debug.Assert(image.Length >= ImageLength, "image too short");
        fixed (float* src = image)
        fixed (float* dst = destination)
        {
            CopyRow(src, row, start, destination.Length, dst, int.MaxValue, 0);
        }
    }

    /// <summary>
    /// Writes the matrix elements [<paramref name="row"/>, <paramref name="start"/> .. start + count) of the image at
    /// <paramref name="image"/> in chunks: segment element t goes to destination + (t / chunk) * chunkStride + t % chunk.
    /// A packed GEMM panel's NR-column slivers are such chunks, so B panels are packed straight from the image;
    /// chunk = int.MaxValue writes the segment contiguously.
    /// </summary>
    public unsafe void CopyRow(float* image, int row, int start, int count, float* destination, int chunk, long chunkStride)
    {
        Debug.Assert((uint)row < (uint)Rows, "row out of range");
        Debug.Assert(start >= 0 && count >= 0 && start + count <= Columns, "segment out of range");
        Debug.Assert(chunk > 0, "empty chunks");
        var kj = row % _kernelW;
        var ki = row / _kernelW % _kernelH;
        var src = image + ((long)(row / (_kernelW * _kernelH)) * _height * _width);
        var ix0 = (kj * _dilation) - _padding;
        var oy = start / _outW;
        var ox = start - (oy * _outW);

        // Write cursor: the current chunk and the offset in it, advanced as the segment is written in order.
        var d = destination;
        var q = 0;
        var done = 0;
        while (done < count)
        {
            // One output row's part of the segment: output columns [ox, ox + len) of output row oy.
            var len = Math.Min(_outW - ox, count - done);
            var iy = (oy * _stride) - _padding + (ki * _dilation);
            if ((uint)iy >= (uint)_height)
            {
                Put(null, len, ref d, ref q, chunk, chunkStride);
            }
            else if (_stride == 1)
            {
                // Contiguous: input columns first + t; zero the ends that fall outside the image, copy the middle.
                var first = ix0 + ox;
                var from = src + ((long)iy * _width) + first;
                var lo = Math.Clamp(-first, 0, len);
                var hi = Math.Clamp(_width - first, lo, len);
                Put(null, lo, ref d, ref q, chunk, chunkStride);
                Put(from + lo, hi - lo, ref d, ref q, chunk, chunkStride);
                Put(null, len - hi, ref d, ref q, chunk, chunkStride);
            }
            else
            {
                var srcRow = src + ((long)iy * _width);
                for (var t = 0; t < len; t++)
                {
                    var ix = ix0 + ((ox + t) * _stride);
                    d[q] = (uint)ix < (uint)_width ? srcRow[ix] : 0f;
                    if (++q == chunk)
                    {
                        q = 0;
                        d += chunkStride;
                    }
                }
            }

            done += len;
            ox = 0;
            oy++;
        }
    }

    // Copies len floats from src (zeros when src is null) to the cursor (d, q), crossing chunk boundaries.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put(float* src, int len, ref float* d, ref int q, int chunk, long chunkStride)
    {
        while (len > 0)
        {
            var take = Math.Min(chunk - q, len);
            var to = d + q;
            var i = 0;
            if (src is null)
            {
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; i <= take - 16; i += 16)
                    {
                        Vector512.Store(Vector512<float>.Zero, to + i);
                    }
                }

                for (; i <= take - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector.Store(Vector<float>.Zero, to + i);
                }

                for (; i < take; i++)
                {
                    to[i] = 0f;
                }
            }
            else
            {
                // A 32-column sliver of the AVX-512 kernel is two 512-bit moves.
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; i <= take - 16; i += 16)
                    {
                        Vector512.Store(Vector512.Load(src + i), to + i);
                    }
                }

                for (; i <= take - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector.Store(Vector.Load(src + i), to + i);
                }

                for (; i < take; i++)
                {
                    to[i] = src[i];
                }

                src += take;
            }

            len -= take;
            q += take;
            if (q == chunk)
            {
                q = 0;
                d += chunkStride;
            }
        }
    }
}
