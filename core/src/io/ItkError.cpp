#include "io/ItkError.h"

#include <algorithm>

namespace strata::io {

std::string itkReason(const itk::ExceptionObject& e)
{
    std::string reason = e.GetDescription() ? e.GetDescription() : "";
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    while (!reason.empty() && (reason.back() == ' ' || reason.back() == '.')) {
        reason.pop_back();
    }
    if (reason.empty()) {
        reason = "unknown ITK error";
    }
    return reason;
}

} // namespace strata::io
