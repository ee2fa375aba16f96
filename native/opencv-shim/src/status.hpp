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

}  // namespace ecv
