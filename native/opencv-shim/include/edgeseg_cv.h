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
} ecv_status;

// The ABI version of this header; the managed side refuses a library whose version differs.
#define ECV_ABI_VERSION 1

// Writes the shim's ABI version and the OpenCV version it was built against (major*10000+minor*100+patch).
ECV_API ecv_status ecv_version(int32_t* abi_version, int32_t* opencv_version);

// The message of the last failing call on this thread ("" when none). Valid until the next call on this thread.
ECV_API const char* ecv_last_error(void);

#ifdef __cplusplus
}
#endif

#endif
