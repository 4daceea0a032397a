#include "strata/pipeline/RunTypes.h"

#include <cmath>
#include <cstdio>

namespace strata::pipeline {

std::string runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Succeeded: return "succeeded";
    case RunStatus::Failed: return "failed";
    case RunStatus::Cancelled: return "cancelled";
    }
    return "unknown";
}

std::string formatSeconds(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", std::round(seconds * 10.0) / 10.0);
    return text;
}

} // namespace strata::pipeline
