// Video writer through the FFmpeg backend.
#include "status.hpp"

#include <opencv2/videoio.hpp>

#include <memory>
#include <string>

struct ecv_writer {
    cv::VideoWriter writer;
    std::string path;
    int width;
    int height;
    int channels;
};

extern "C" {

ECV_API ecv_status ecv_writer_open(const char* path, const char* fourcc, double fps, int32_t width, int32_t height,
                                   int32_t is_color, ecv_writer** out) {
    return ecv::guard([&] {
        ecv::require(path != nullptr && fourcc != nullptr && out != nullptr, "ecv_writer_open: null argument");
        ecv::require(std::char_traits<char>::length(fourcc) == 4, "fourcc must be four characters");
        ecv::require(fps > 0, "fps must be positive");
        ecv::image_type(width, height, 1, "ecv_writer_open");
        *out = nullptr;
        auto holder = std::make_unique<ecv_writer>();
        holder->path = path;
        holder->width = width;
        holder->height = height;
        holder->channels = is_color ? 3 : 1;
        const int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        holder->writer.open(path, cv::CAP_FFMPEG, code, fps, cv::Size(width, height), is_color != 0);
        if (!holder->writer.isOpened()) {
            ecv::fail(ECV_ERROR_IO, std::string("could not open '") + path + "' for writing with fourcc " + fourcc +
                                        " (FFmpeg has no encoder for it, or the container does not take it)");
        }
        *out = holder.release();
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_writer_write(ecv_writer* writer, const uint8_t* data, int32_t width, int32_t height, int32_t channels) {
    return ecv::guard([&] {
        ecv::require(writer != nullptr && data != nullptr, "ecv_writer_write: null argument");
        const int type = ecv::image_type(width, height, channels, "ecv_writer_write");
        ecv::require(width == writer->width && height == writer->height && channels == writer->channels,
                     "frame is " + std::to_string(width) + "x" + std::to_string(height) + "x" + std::to_string(channels) +
                         "; the writer for '" + writer->path + "' takes " + std::to_string(writer->width) + "x" +
                         std::to_string(writer->height) + "x" + std::to_string(writer->channels));
        writer->writer.write(cv::Mat(height, width, type, const_cast<uint8_t*>(data)));
        return ECV_OK;
    });
}

ECV_API ecv_status ecv_writer_free(ecv_writer* writer) {
    return ecv::guard([&] {
        delete writer;
        return ECV_OK;
    });
}

}  // extern "C"
