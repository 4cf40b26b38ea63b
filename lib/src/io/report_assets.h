// The HTML report's stylesheet and script, embedded at build time from
// lib/src/io/report_assets/ (lib/CMakeLists.txt generates the definitions).
#ifndef STORYSIFT_IO_REPORT_ASSETS_H_
#define STORYSIFT_IO_REPORT_ASSETS_H_

#include <string_view>

namespace storysift::internal {

std::string_view ReportAsset_report_css();
std::string_view ReportAsset_report_js();

}  // namespace storysift::internal

#endif  // STORYSIFT_IO_REPORT_ASSETS_H_
