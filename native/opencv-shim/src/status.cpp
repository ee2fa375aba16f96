#include "status.hpp"

#include <opencv2/core/version.hpp>

namespace {
thread_local std::string last_error;
}

namespace ecv {

void set_error(const std::string& message) { last_error = message; }
void clear_error() { last_error.clear(); }

}  // namespace ecv

extern "C" {

ECV_API const char* ecv_last_error(void) { return last_error.c_str(); }

ECV_API ecv_status ecv_version(int32_t* abi_version, int32_t* opencv_version) {
    return ecv::guard([&] {
        ecv::require(abi_version != nullptr && opencv_version != nullptr, "ecv_version: null output pointer");
        *abi_version = ECV_ABI_VERSION;
        *opencv_version = CV_VERSION_MAJOR * 10000 + CV_VERSION_MINOR * 100 + CV_VERSION_REVISION;
        return ECV_OK;
    });
}

}  // extern "C"
