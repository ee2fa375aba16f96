// edgeseg_cv: the C ABI of EdgeSeg's OpenCV shim. Every function returns an ecv_status; on failure the
// message is kept in a thread-local buffer that ecv_last_error() returns until the next failing call.
// No C++ exception crosses this boundary.
#ifndef EDGESEG_CV_H
#define EDGESEG_CV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ECV_API __attribute__((visibility("default")))

typedef enum ecv_status {
    ECV_OK = 0,
    ECV_ERROR_ARGUMENT = 1,   // a null pointer, a bad size, an unknown option
    ECV_ERROR_OPENCV = 2,     // cv::Exception
    ECV_ERROR_IO = 3,         // a file or stream could not be opened, read or written
    ECV_ERROR_END = 4,        // end of stream: not an error for a file, a reason to reconnect for a live source
    ECV_ERROR_INTERNAL = 5,   // std::exception or anything else
    ECV_ERROR_SIZE = 6,       // the caller's buffer does not match (or cannot hold) the result; sizes are reported
} ecv_status;

// The ABI version of this header; the managed side refuses a library whose version differs.
#define ECV_ABI_VERSION 1

// Writes the shim's ABI version and the OpenCV version it was built against (major*10000+minor*100+patch).
ECV_API ecv_status ecv_version(int32_t* abi_version, int32_t* opencv_version);

// The message of the last failing call on this thread ("" when none). Valid until the next call on this thread.
ECV_API const char* ecv_last_error(void);

// Sets OpenCV's own log level (0 silent, 1 fatal, 2 error, 3 warning, 4 info, 5 debug, 6 verbose).
ECV_API ecv_status ecv_set_log_level(int32_t level);

// ---------------------------------------------------------------------------------------------------------------
// Images. Pixels are 8-bit, interleaved, rows packed (stride = width * channels), BGR(A) for colour.
// ---------------------------------------------------------------------------------------------------------------

// A decoded image owned by the shim (read or decoded, then copied out by the caller and freed).
typedef struct ecv_mat ecv_mat;

// Read modes: 0 colour (3-channel BGR), 1 grayscale (1 channel), 2 unchanged (as stored: 1, 3 or 4 channels, 8-bit).
ECV_API ecv_status ecv_imread(const char* path, int32_t mode, ecv_mat** out);
ECV_API ecv_status ecv_imdecode(const uint8_t* data, int64_t length, int32_t mode, ecv_mat** out);
ECV_API ecv_status ecv_mat_info(const ecv_mat* mat, int32_t* width, int32_t* height, int32_t* channels);
// Copies the pixels into dst (capacity bytes); ECV_ERROR_SIZE when capacity < width * height * channels.
ECV_API ecv_status ecv_mat_copy_to(const ecv_mat* mat, uint8_t* dst, int64_t capacity);
ECV_API ecv_status ecv_mat_free(ecv_mat* mat);

// Writes an image; the format follows the extension (.png, .jpg, .jpeg). jpeg_quality 0..100.
ECV_API ecv_status ecv_imwrite(const char* path, const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t jpeg_quality);
// Encodes to memory: format 0 PNG (quality = compression 0..9, -1 default 3), 1 JPEG (quality 0..100, -1 default 95).
// Writes the encoded size to *needed; copies into dst only when it fits, else returns ECV_ERROR_SIZE.
ECV_API ecv_status ecv_imencode(const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t format, int32_t quality,
                                uint8_t* dst, int64_t capacity, int64_t* needed);
// Resizes src into dst (same channel count). interpolation: 0 nearest, 1 linear, 2 area.
ECV_API ecv_status ecv_resize(const uint8_t* src, int32_t src_width, int32_t src_height, int32_t channels,
                              uint8_t* dst, int32_t dst_width, int32_t dst_height, int32_t interpolation);
// dst = frame * (1 - alpha) + palette[class] * alpha per pixel, for a 3-channel BGR frame and a width x height class
// map. palette_bgr holds palette_count BGR triples; pixels whose class is >= palette_count are copied unchanged.
// dst may be frame.
ECV_API ecv_status ecv_blend(const uint8_t* frame, int32_t width, int32_t height, const uint8_t* classes,
                             const uint8_t* palette_bgr, int32_t palette_count, float alpha, uint8_t* dst);
// Connected components (8- or 4-connectivity) of the pixels equal to value. labels (width * height) gets 0 for
// the background and 1..count for components. stats gets up to capacity rows of
// {left, top, width, height, area} and centroids up to capacity {x, y} pairs, for labels 1..count.
// *count is the number of components (background excluded); when it exceeds capacity, ECV_ERROR_SIZE.
ECV_API ecv_status ecv_connected_components(const uint8_t* data, int32_t width, int32_t height, uint8_t value, int32_t connectivity,
                                            int32_t* labels, int32_t* stats, double* centroids, int32_t capacity, int32_t* count);

// ---------------------------------------------------------------------------------------------------------------
// Video capture.
// ---------------------------------------------------------------------------------------------------------------

typedef struct ecv_capture ecv_capture;

// Backends (OpenCV's cv::VideoCaptureAPIs values): 0 any, 200 V4L2, 1900 FFMPEG.
// params: pairs of (cv::CAP_PROP_*, value) applied at open, e.g. 53 open timeout ms, 54 read timeout ms
// (OpenCV >= 4.5.3 only; older versions ignore them and open without). ffmpeg_options (nullable) becomes
// OPENCV_FFMPEG_CAPTURE_OPTIONS (process-wide) before the open, e.g. "rtsp_transport;tcp".
// After the open, set_props (pairs) are applied with set() (V4L2 size, fps, FOURCC).
ECV_API ecv_status ecv_capture_open(const char* uri, int32_t backend, const int32_t* params, int32_t param_count,
                                    const char* ffmpeg_options, const double* set_props, int32_t set_prop_count, ecv_capture** out);
// Grabs and decodes the next frame straight into dst (width x height x channels, rows packed).
// ECV_ERROR_END when no frame came (end of file, stream closed, read timeout); ECV_ERROR_SIZE (with
// *frame_width/*frame_height/*frame_channels set) when the frame's size differs from dst's. *pos_msec is the frame's
// stream timestamp (CAP_PROP_POS_MSEC) or -1.
ECV_API ecv_status ecv_capture_read(ecv_capture* capture, uint8_t* dst, int32_t width, int32_t height, int32_t channels,
                                    int32_t* frame_width, int32_t* frame_height, int32_t* frame_channels, double* pos_msec);
ECV_API ecv_status ecv_capture_get(ecv_capture* capture, int32_t property, double* value);
ECV_API ecv_status ecv_capture_set(ecv_capture* capture, int32_t property, double value, int32_t* accepted);
// The backend's name ("FFMPEG", "V4L2") into buffer (NUL-terminated, truncated to capacity).
ECV_API ecv_status ecv_capture_backend(ecv_capture* capture, char* buffer, int32_t capacity);
ECV_API ecv_status ecv_capture_free(ecv_capture* capture);

// ---------------------------------------------------------------------------------------------------------------
// Video writer (FFmpeg backend).
// ---------------------------------------------------------------------------------------------------------------

typedef struct ecv_writer ecv_writer;

// fourcc as four characters ("avc1", "mp4v", "MJPG"). ECV_ERROR_IO when FFmpeg cannot write that codec/container.
ECV_API ecv_status ecv_writer_open(const char* path, const char* fourcc, double fps, int32_t width, int32_t height,
                                   int32_t is_color, ecv_writer** out);
ECV_API ecv_status ecv_writer_write(ecv_writer* writer, const uint8_t* data, int32_t width, int32_t height, int32_t channels);
ECV_API ecv_status ecv_writer_free(ecv_writer* writer);

#ifdef __cplusplus
}
#endif

#endif
