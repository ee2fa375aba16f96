// Image read/write, PNG/JPEG encode/decode, resize, overlay blending and connected components.
#include "status.hpp"

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <string>
#include <vector>

struct ecv_mat {
    cv::Mat mat;
};

namespace {

int read_flags(int32_t mode) {
    switch (mode) {
        case 0: return cv::IMREAD_COLOR;
        case 1: return cv::IMREAD_GRAYSCALE;
        case 2: return cv::IMREAD_UNCHANGED;
        default: ecv::fail(ECV_ERROR_ARGUMENT, "read mode must be 0 (colour), 1 (grayscale) or 2 (unchanged)");
    }
}

ecv_mat* wrap_decoded(cv::Mat&& mat, const std::string& what) {
    if (mat.empty()) {
        ecv::fail(ECV_ERROR_IO, what + ": not a readable image (unknown format or corrupt data)");
    }
    if (mat.depth() != CV_8U) {
        ecv::fail(ECV_ERROR_ARGUMENT, what + ": only 8-bit images are supported (this one has " +
                                          std::to_string(8 * static_cast<int>(mat.elemSize1())) + "-bit samples)");
    }
    if (mat.channels() != 1 && mat.channels() != 3 && mat.channels() != 4) {
        ecv::fail(ECV_ERROR_ARGUMENT, what + ": unsupported channel count " + std::to_string(mat.channels()));
    }
    auto* out = new ecv_mat;
    out->mat = mat.isContinuous() ? std::move(mat) : mat.clone();
    return out;
}

std::vector<int> encode_params(int32_t format, int32_t quality) {
    if (format == 0) {
        ecv::require(quality >= -1 && quality <= 9, "PNG compression must be 0..9 (or -1 for the default)");
        return {cv::IMWRITE_PNG_COMPRESSION, quality < 0 ? 3 : quality};
    }
    ecv::require(format == 1, "format must be 0 (PNG) or 1 (JPEG)");
    ecv::require(quality >= -1 && quality <= 100, "JPEG quality must be 0..100 (or -1 for the default)");
    return {cv::IMWRITE_JPEG_QUALITY, quality < 0 ? 95 : quality};
}

}  // namespace

extern "C" {

ECV_API ecv_status ecv_set_log_level(int32_t level) {
    return ecv::guard([&] {
        ecv::require(level >= 0 && level <= 6, "log level must be 0..6");
        cv::utils::logging::setLogLevel(static_cast<cv::utils::logging::LogLevel>(level));
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_imread(const char* path, int32_t mode, ecv_mat** out) {
    return ecv::guard([&] {
        ecv::require(path != nullptr && out != nullptr, "ecv_imread: null argument");
        *out = nullptr;
        *out = wrap_decoded(cv::imread(path, read_flags(mode)), std::string("'") + path + "'");
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_imdecode(const uint8_t* data, int64_t length, int32_t mode, ecv_mat** out) {
    return ecv::guard([&] {
        ecv::require(data != nullptr && out != nullptr && length > 0, "ecv_imdecode: null or empty input");
        ecv::require(length <= INT32_MAX, "ecv_imdecode: input larger than 2 GiB");
        *out = nullptr;
        const cv::Mat encoded(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t*>(data));
        *out = wrap_decoded(cv::imdecode(encoded, read_flags(mode)), "encoded image of " + std::to_string(length) + " bytes");
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_mat_info(const ecv_mat* mat, int32_t* width, int32_t* height, int32_t* channels) {
    return ecv::guard([&] {
        ecv::require(mat != nullptr && width != nullptr && height != nullptr && channels != nullptr, "ecv_mat_info: null argument");
        *width = mat->mat.cols;
        *height = mat->mat.rows;
        *channels = mat->mat.channels();
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_mat_copy_to(const ecv_mat* mat, uint8_t* dst, int64_t capacity) {
    return ecv::guard([&] {
        ecv::require(mat != nullptr && dst != nullptr, "ecv_mat_copy_to: null argument");
        const auto bytes = static_cast<int64_t>(mat->mat.total() * mat->mat.elemSize());
        if (bytes > capacity) {
            ecv::fail(ECV_ERROR_SIZE, "the destination holds " + std::to_string(capacity) + " bytes; the image needs " + std::to_string(bytes));
        }
        std::memcpy(dst, mat->mat.data, static_cast<size_t>(bytes));
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_mat_free(ecv_mat* mat) {
    return ecv::guard([&] {
        delete mat;
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_imwrite(const char* path, const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t jpeg_quality) {
    return ecv::guard([&] {
        ecv::require(path != nullptr && data != nullptr, "ecv_imwrite: null argument");
        const int type = ecv::image_type(width, height, channels, "ecv_imwrite");
        ecv::require(jpeg_quality >= 0 && jpeg_quality <= 100, "JPEG quality must be 0..100");
        const cv::Mat image(height, width, type, const_cast<uint8_t*>(data));
        const std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, jpeg_quality, cv::IMWRITE_PNG_COMPRESSION, 3};
        if (!cv::imwrite(path, image, params)) {
            ecv::fail(ECV_ERROR_IO, std::string("could not write '") + path + "'");
        }
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_imencode(const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t format, int32_t quality,
                                uint8_t* dst, int64_t capacity, int64_t* needed) {
    return ecv::guard([&] {
        ecv::require(data != nullptr && needed != nullptr, "ecv_imencode: null argument");
        const int type = ecv::image_type(width, height, channels, "ecv_imencode");
        const auto params = encode_params(format, quality);
        const cv::Mat image(height, width, type, const_cast<uint8_t*>(data));
        // One encode buffer per thread: the publishing path encodes every frame, and this keeps it allocation-free
        // once the buffer has grown to the largest frame.
        thread_local std::vector<uint8_t> encoded;
        if (!cv::imencode(format == 0 ? ".png" : ".jpg", image, encoded, params)) {
            ecv::fail(ECV_ERROR_OPENCV, "the encoder refused the image");
        }
        *needed = static_cast<int64_t>(encoded.size());
        if (*needed > capacity || dst == nullptr) {
            ecv::fail(ECV_ERROR_SIZE, "the destination holds " + std::to_string(capacity) + " bytes; the encoded image needs " + std::to_string(*needed));
        }
        std::memcpy(dst, encoded.data(), encoded.size());
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_resize(const uint8_t* src, int32_t src_width, int32_t src_height, int32_t channels,
                              uint8_t* dst, int32_t dst_width, int32_t dst_height, int32_t interpolation) {
    return ecv::guard([&] {
        ecv::require(src != nullptr && dst != nullptr, "ecv_resize: null argument");
        const int type = ecv::image_type(src_width, src_height, channels, "ecv_resize source");
        ecv::image_type(dst_width, dst_height, channels, "ecv_resize destination");
        int flag = cv::INTER_NEAREST;
        switch (interpolation) {
            case 0: flag = cv::INTER_NEAREST; break;
            case 1: flag = cv::INTER_LINEAR; break;
            case 2: flag = cv::INTER_AREA; break;
            default: ecv::fail(ECV_ERROR_ARGUMENT, "interpolation must be 0 (nearest), 1 (linear) or 2 (area)");
        }
        const cv::Mat source(src_height, src_width, type, const_cast<uint8_t*>(src));
        cv::Mat destination(dst_height, dst_width, type, dst);
        cv::resize(source, destination, destination.size(), 0, 0, flag);
        if (destination.data != dst) {
            ecv::fail(ECV_ERROR_INTERNAL, "cv::resize reallocated the destination");
        }
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_blend(const uint8_t* frame, int32_t width, int32_t height, const uint8_t* classes,
                             const uint8_t* palette_bgr, int32_t palette_count, float alpha, uint8_t* dst) {
    return ecv::guard([&] {
        ecv::require(frame != nullptr && classes != nullptr && palette_bgr != nullptr && dst != nullptr, "ecv_blend: null argument");
        ecv::image_type(width, height, 3, "ecv_blend");
        ecv::require(palette_count > 0 && palette_count <= 256, "the palette must hold 1..256 colours");
        ecv::require(alpha >= 0.0f && alpha <= 1.0f, "alpha must be in [0, 1]");
        // Fixed-point weights (sum 256) so every pixel costs two multiplies and a shift.
        const int a = static_cast<int>(alpha * 256.0f + 0.5f);
        const int keep = 256 - a;
        int table[256][3];
        bool known[256];
        for (int c = 0; c < 256; ++c) {
            known[c] = c < palette_count;
            for (int k = 0; k < 3; ++k) {
                table[c][k] = known[c] ? palette_bgr[3 * c + k] * a + 128 : 0;
            }
        }
        const cv::Range all(0, height);
        cv::parallel_for_(all, [&](const cv::Range& rows) {
            for (int y = rows.start; y < rows.end; ++y) {
                const uint8_t* f = frame + static_cast<size_t>(y) * width * 3;
                const uint8_t* m = classes + static_cast<size_t>(y) * width;
                uint8_t* d = dst + static_cast<size_t>(y) * width * 3;
                for (int x = 0; x < width; ++x) {
                    const int c = m[x];
                    if (known[c]) {
                        d[3 * x] = static_cast<uint8_t>((f[3 * x] * keep + table[c][0]) >> 8);
                        d[3 * x + 1] = static_cast<uint8_t>((f[3 * x + 1] * keep + table[c][1]) >> 8);
                        d[3 * x + 2] = static_cast<uint8_t>((f[3 * x + 2] * keep + table[c][2]) >> 8);
                    } else if (d != f) {
                        d[3 * x] = f[3 * x];
                        d[3 * x + 1] = f[3 * x + 1];
                        d[3 * x + 2] = f[3 * x + 2];
                    }
                }
            }
        });
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_connected_components(const uint8_t* data, int32_t width, int32_t height, uint8_t value, int32_t connectivity,
                                            int32_t* labels, int32_t* stats, double* centroids, int32_t capacity, int32_t* count) {
    return ecv::guard([&] {
        ecv::require(data != nullptr && labels != nullptr && count != nullptr, "ecv_connected_components: null argument");
        ecv::image_type(width, height, 1, "ecv_connected_components");
        ecv::require(connectivity == 4 || connectivity == 8, "connectivity must be 4 or 8");
        ecv::require(capacity >= 0 && (capacity == 0 || (stats != nullptr && centroids != nullptr)), "ecv_connected_components: bad capacity");
        const cv::Mat source(height, width, CV_8UC1, const_cast<uint8_t*>(data));
        cv::Mat binary;
        cv::compare(source, cv::Scalar(value), binary, cv::CMP_EQ);
        cv::Mat label_mat(height, width, CV_32SC1, labels);
        cv::Mat stat_mat;
        cv::Mat centroid_mat;
        const int n = cv::connectedComponentsWithStats(binary, label_mat, stat_mat, centroid_mat, connectivity, CV_32S);
        if (label_mat.data != reinterpret_cast<uchar*>(labels)) {
            ecv::fail(ECV_ERROR_INTERNAL, "connectedComponentsWithStats reallocated the labels");
        }
        *count = n - 1;
        if (*count > capacity) {
            ecv::fail(ECV_ERROR_SIZE, std::to_string(*count) + " components; room for " + std::to_string(capacity));
        }
        for (int i = 1; i < n; ++i) {
            for (int k = 0; k < 5; ++k) {
                stats[(i - 1) * 5 + k] = stat_mat.at<int32_t>(i, k);
            }
            centroids[(i - 1) * 2] = centroid_mat.at<double>(i, 0);
            centroids[(i - 1) * 2 + 1] = centroid_mat.at<double>(i, 1);
        }
        return ECV_OK;
    });
}

}  // extern "C"
