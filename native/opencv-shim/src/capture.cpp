// Video capture: open a URI with a backend and open/read timeouts, read frames straight into caller buffers.
#include "status.hpp"

#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

// The params overload of VideoCapture::open and CAP_PROP_OPEN/READ_TIMEOUT_MSEC arrived in OpenCV 4.5.3.
#define ECV_HAVE_CAPTURE_PARAMS \
    (CV_VERSION_MAJOR > 4 || (CV_VERSION_MAJOR == 4 && (CV_VERSION_MINOR > 5 || (CV_VERSION_MINOR == 5 && CV_VERSION_REVISION >= 3))))

struct ecv_capture {
    cv::VideoCapture capture;
    std::string uri;
    int64_t frames_read = 0;
};

namespace {

std::mutex env_mutex;

const char* backend_name(int32_t backend) {
    switch (backend) {
        case cv::CAP_ANY: return "ANY";
        case cv::CAP_V4L2: return "V4L2";
        case cv::CAP_FFMPEG: return "FFMPEG";
        default: return "?";
    }
}

}  // namespace

extern "C" {

ECV_API ecv_status ecv_capture_open(const char* uri, int32_t backend, const int32_t* params, int32_t param_count,
                                    const char* ffmpeg_options, const double* set_props, int32_t set_prop_count, ecv_capture** out) {
    return ecv::guard([&] {
        ecv::require(uri != nullptr && out != nullptr, "ecv_capture_open: null argument");
        ecv::require(backend == cv::CAP_ANY || backend == cv::CAP_V4L2 || backend == cv::CAP_FFMPEG,
                     "backend must be 0 (any), 200 (V4L2) or 1900 (FFMPEG)");
        ecv::require(param_count >= 0 && param_count % 2 == 0 && (param_count == 0 || params != nullptr), "params must be (property, value) pairs");
        ecv::require(set_prop_count >= 0 && set_prop_count % 2 == 0 && (set_prop_count == 0 || set_props != nullptr),
                     "set_props must be (property, value) pairs");
        *out = nullptr;
        if (ffmpeg_options != nullptr) {
            // OpenCV reads this variable inside open(); it is process-wide, so writers are serialised. Every
            // EdgeSeg source passes the same options, so a concurrent open never sees a foreign value.
            const std::lock_guard<std::mutex> lock(env_mutex);
            const char* current = std::getenv("OPENCV_FFMPEG_CAPTURE_OPTIONS");
            if (current == nullptr || std::strcmp(current, ffmpeg_options) != 0) {
                setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", ffmpeg_options, 1);
            }
        }
        auto holder = std::make_unique<ecv_capture>();
        holder->uri = uri;
#if ECV_HAVE_CAPTURE_PARAMS
        const std::vector<int> open_params(params, params + param_count);
        holder->capture.open(uri, backend, open_params);
#else
        holder->capture.open(uri, backend);
#endif
        if (!holder->capture.isOpened()) {
            ecv::fail(ECV_ERROR_IO, std::string("could not open '") + uri + "' with the " + backend_name(backend) + " backend");
        }
        for (int32_t i = 0; i < set_prop_count; i += 2) {
            // Cameras may round or refuse a size, rate or format; the caller reads back what was applied.
            holder->capture.set(static_cast<int>(set_props[i]), set_props[i + 1]);
        }
        *out = holder.release();
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_capture_read(ecv_capture* capture, uint8_t* dst, int32_t width, int32_t height, int32_t channels,
                                    int32_t* frame_width, int32_t* frame_height, int32_t* frame_channels, double* pos_msec) {
    return ecv::guard([&] {
        ecv::require(capture != nullptr && dst != nullptr && frame_width != nullptr && frame_height != nullptr &&
                         frame_channels != nullptr && pos_msec != nullptr,
                     "ecv_capture_read: null argument");
        const int type = ecv::image_type(width, height, channels, "ecv_capture_read");
        *frame_width = 0;
        *frame_height = 0;
        *frame_channels = 0;
        *pos_msec = -1;
        // A Mat header over the caller's buffer: when the decoded frame has this size and type, retrieve() copies
        // the converted pixels straight into it; otherwise create() reallocates and the sizes are reported.
        cv::Mat frame(height, width, type, dst);
        if (!capture->capture.read(frame) || frame.empty()) {
            ecv::fail(ECV_ERROR_END, "no frame from '" + capture->uri + "' (end of stream, closed connection or read timeout)");
        }
        *frame_width = frame.cols;
        *frame_height = frame.rows;
        *frame_channels = frame.channels();
        *pos_msec = capture->capture.get(cv::CAP_PROP_POS_MSEC);
        // Frames drained from the decoder's reorder buffer at the end of a file carry no timestamp, and OpenCV
        // reports 0 for them: only the first frame may truly be at 0.
        if (*pos_msec <= 0 && capture->frames_read > 0) {
            *pos_msec = -1;
        }
        capture->frames_read++;
        if (frame.data != dst) {
            ecv::fail(ECV_ERROR_SIZE, "'" + capture->uri + "' delivered a " + std::to_string(frame.cols) + "x" + std::to_string(frame.rows) + "x" +
                                          std::to_string(frame.channels()) + " frame; the buffer is " + std::to_string(width) + "x" +
                                          std::to_string(height) + "x" + std::to_string(channels));
        }
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_capture_get(ecv_capture* capture, int32_t property, double* value) {
    return ecv::guard([&] {
        ecv::require(capture != nullptr && value != nullptr, "ecv_capture_get: null argument");
        *value = capture->capture.get(property);
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_capture_set(ecv_capture* capture, int32_t property, double value, int32_t* accepted) {
    return ecv::guard([&] {
        ecv::require(capture != nullptr && accepted != nullptr, "ecv_capture_set: null argument");
        *accepted = capture->capture.set(property, value) ? 1 : 0;
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_capture_backend(ecv_capture* capture, char* buffer, int32_t capacity) {
    return ecv::guard([&] {
        ecv::require(capture != nullptr && buffer != nullptr && capacity > 0, "ecv_capture_backend: null argument");
        const std::string name = capture->capture.getBackendName();
        const size_t n = std::min(name.size(), static_cast<size_t>(capacity - 1));
        std::memcpy(buffer, name.data(), n);
        buffer[n] = '\0';
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_capture_free(ecv_capture* capture) {
    return ecv::guard([&] {
        delete capture;
        return ECV_OK;
    });
}

}  // extern "C"
