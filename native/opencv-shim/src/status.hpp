// The exception boundary shared by every export: run a body, turn any exception into a status code plus a
// thread-local message.
#pragma once

#include "edgeseg_cv.h"

#include <exception>
#include <string>

#include <opencv2/core.hpp>

namespace ecv {

void set_error(const std::string& message);
void clear_error();

// Thrown inside the shim to fail with a specific status and message.
struct failure {
    ecv_status status;
    std::string message;
};

template <typename Body>
ecv_status guard(Body&& body) noexcept {
    try {
        clear_error();
        return body();
    } catch (const failure& f) {
        set_error(f.message);
        return f.status;
    } catch (const cv::Exception& e) {
        set_error(std::string("OpenCV: ") + e.what());
        return ECV_ERROR_OPENCV;
    } catch (const std::exception& e) {
        set_error(e.what());
        return ECV_ERROR_INTERNAL;
    } catch (...) {
        set_error("unknown C++ exception");
        return ECV_ERROR_INTERNAL;
    }
}

inline void require(bool condition, const char* message) {
    if (!condition) {
        throw failure{ECV_ERROR_ARGUMENT, message};
    }
}

inline void require(bool condition, const std::string& message) {
    if (!condition) {
        throw failure{ECV_ERROR_ARGUMENT, message};
    }
}

[[noreturn]] inline void fail(ecv_status status, const std::string& message) { throw failure{status, message}; }

// Validates an image's geometry and returns its OpenCV type.
inline int image_type(int32_t width, int32_t height, int32_t channels, const char* what) {
    require(width > 0 && height > 0, std::string(what) + ": width and height must be positive");
    require(channels == 1 || channels == 3 || channels == 4, std::string(what) + ": channels must be 1, 3 or 4");
    return CV_MAKETYPE(CV_8U, channels);
}

}  // namespace ecv
