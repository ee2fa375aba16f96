namespace EdgeSeg.OnnxRuntime.Providers;

/// <summary>A shared library the GPU providers of the bundled ONNX Runtime load, and what puts it on a box. Immutable.</summary>
/// <param name="FileName">The name the loader asks for (its soname), e.g. <c>libcublasLt.so.13</c>.</param>
/// <param name="Component">What it belongs to, e.g. <c>cuBLAS (CUDA 13)</c>.</param>
/// <param name="Install">What to install when it is missing: the Debian/Ubuntu package of NVIDIA's repository and the pip wheel.</param>
/// <param name="Providers">The providers that need it (<c>cuda</c>, <c>tensorrt</c>).</param>
public sealed record GpuLibrary(string FileName, string Component, string Install, IReadOnlyList<string> Providers)
{
    /// <summary>
    /// What the CUDA and TensorRT providers of Microsoft.ML.OnnxRuntime.Gpu.Linux 1.30 to 1.32 link or load (their
    /// NEEDED entries and cuDNN, which the CUDA provider opens at run time): CUDA 13, cuDNN 9, TensorRT 10.
    /// </summary>
    public static IReadOnlyList<GpuLibrary> Bundled { get; } =
    [
        new("libcuda.so.1", "NVIDIA driver", "the NVIDIA driver, 580 or newer (what CUDA 13 needs)", ["cuda", "tensorrt"]),
        new("libcudart.so.13", "CUDA 13 runtime", "cuda-cudart-13-0 (apt, NVIDIA's CUDA repository) or the pip wheel nvidia-cuda-runtime==13.*", ["cuda", "tensorrt"]),
        new("libcublas.so.13", "cuBLAS (CUDA 13)", "libcublas-13-0 (apt, NVIDIA's CUDA repository) or the pip wheel nvidia-cublas==13.*", ["cuda", "tensorrt"]),
        new("libcublasLt.so.13", "cuBLASLt (CUDA 13)", "libcublas-13-0 (apt, NVIDIA's CUDA repository) or the pip wheel nvidia-cublas==13.*", ["cuda"]),
        new("libcurand.so.10", "cuRAND (CUDA 13)", "libcurand-13-0 (apt, NVIDIA's CUDA repository) or the pip wheel nvidia-curand==10.4.*", ["cuda"]),
        new("libcudnn.so.9", "cuDNN 9 for CUDA 13", "libcudnn9-cuda-13 (apt, NVIDIA's CUDA repository) or the pip wheel nvidia-cudnn-cu13==9.*", ["cuda", "tensorrt"]),
        new("libnvinfer.so.10", "TensorRT 10 for CUDA 13", "libnvinfer10 and libnvonnxparsers10 built for CUDA 13 (apt, NVIDIA's CUDA repository) or the pip wheel tensorrt-cu13==10.*", ["tensorrt"]),
        new("libnvonnxparser.so.10", "TensorRT 10 ONNX parser", "libnvonnxparsers10 (apt, NVIDIA's CUDA repository) or the pip wheel tensorrt-cu13==10.*", ["tensorrt"]),
    ];

    /// <summary>
    /// Libraries of the CUDA generation before (CUDA 12): finding them tells a site that its CUDA is too old for the
    /// bundled build, and that a CUDA 12 build of ONNX Runtime through <c>Model:LibraryPath</c> is its route.
    /// </summary>
    public static IReadOnlyList<GpuLibrary> Cuda12 { get; } =
    [
        new("libcudart.so.12", "CUDA 12 runtime", "not used by the bundled build (CUDA 13); a CUDA 12 build of ONNX Runtime via Model:LibraryPath uses it", ["cuda"]),
        new("libcublasLt.so.12", "cuBLASLt (CUDA 12)", "not used by the bundled build (CUDA 13)", ["cuda"]),
    ];
}
