#include "strata/core/pipeline/RunTypes.h"

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

} // namespace strata::pipeline
